// What OmegaT 3.6 shows for each segment of a project, headless: its translation (after
// tm/auto was applied on load) and its best fuzzy match from tm/ (the Fuzzy Matches pane),
// one tab-separated line per segment (OmegaT 3.6 gives XLIFF entries no id: matched on source):
//   id  source  translated(0/1)  translation  best-match-score  best-match-source  best-match-translation  origin
// Run (scripts/omegat-job-check.sh wraps it):
//   java -Djava.awt.headless=true -cp OmegaT.jar scripts/OmegatJobCheck.java PROJECT CONFIG_DIR
// It drives OmegaT's own console start-up (org.omegat.Main's parameters, plugins, project
// loading) by reflection, then asks org.omegat.core.statistics.FindMatches, the class behind
// the Fuzzy Matches pane, for each segment's matches.
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.omegat.core.Core;
import org.omegat.core.data.IProject;
import org.omegat.core.data.SourceTextEntry;
import org.omegat.core.data.TMXEntry;
import org.omegat.core.matching.NearString;
import org.omegat.core.statistics.FindMatches;
import org.omegat.filters2.master.PluginUtils;
import org.omegat.util.RuntimePreferences;

public class OmegatJobCheck {
    static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ');
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OmegatJobCheck PROJECT CONFIG_DIR");
            System.exit(2);
        }
        Class<?> main = Class.forName("org.omegat.Main");
        Field pf = main.getDeclaredField("params");
        pf.setAccessible(true);
        Map<String, String> params = (Map<String, String>) pf.get(null);
        params.put("config-dir", args[1]);
        params.put("disable-project-locking", "");
        params.put("no-team", "");
        Field pl = main.getDeclaredField("projectLocation");
        pl.setAccessible(true);
        pl.set(null, new File(args[0]));
        RuntimePreferences.setConfigDir(args[1]);
        RuntimePreferences.setProjectLockingEnabled(false);
        PluginUtils.loadPlugins(params);
        Core.initializeConsole(params);
        Method select = main.getDeclaredMethod("selectProjectConsoleMode", boolean.class);
        select.setAccessible(true);
        select.invoke(null, true);
        IProject project = Core.getProject();
        FindMatches finder = new FindMatches(project.getSourceTokenizer(), 10, true, false);
        int n = 0;
        for (SourceTextEntry ste : project.getAllEntries()) {
            TMXEntry te = project.getTranslationInfo(ste);
            boolean done = te != null && te.isTranslated();
            NearString best = null;
            List<NearString> near = finder.search(project, ste.getSrcText(), true, true, () -> false);
            for (NearString ns : near) {
                if (ns.comesFrom == NearString.MATCH_SOURCE.TM) {
                    best = ns;
                    break;
                }
            }
            StringBuilder line = new StringBuilder();
            line.append(clean(ste.getKey().id)).append('\t').append(clean(ste.getSrcText())).append('\t').append(done ? 1 : 0).append('\t')
                .append(done ? clean(te.translation) : "").append('\t');
            if (best != null) {
                line.append(best.scores[0].score).append('\t').append(clean(best.source)).append('\t')
                    .append(clean(best.translation)).append('\t')
                    .append(best.projs != null && best.projs.length > 0 ? clean(best.projs[0]) : "");
            } else {
                line.append("\t\t\t");
            }
            System.out.println(line);
            n++;
        }
        System.err.println("omegat-job-check: " + n + " segments");
        System.exit(0);
    }
}
