//! `dragoman finish JOB/ [--tm STORE]` (or `finish FILE.xlf`): a translated package back into
//! a target document and the TM.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use dragoman::job::finish::{self, EntryReader, FinishOptions};
use dragoman::job::prepare::Manifest;
use dragoman::tm::store::{ImportOptions, Mode, Store};

/// Arguments of `dragoman finish`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Reads JOB/NAME.xlf for every file of the job (or the one XLIFF given, \
e.g. JOB/omegat/target/NAME.xlf), writes JOB/translations/LANG/NAME.txt and adds the \
translated segments to the store. Exit codes: 0 ok, 2 error (nothing written)."
)]
pub struct Args {
    /// The job directory `prepare` wrote, or a translated XLIFF inside it.
    #[arg(value_name = "JOB|FILE.xlf")]
    pub path: PathBuf,
    /// The store to add the translated segments to (SQLite file, created when missing, or
    /// postgres:// URL).
    #[arg(long = "tm", value_name = "STORE")]
    pub tm: Option<String>,
    /// The translator, stored with each unit (`creationid`, `x-translator`).
    #[arg(long)]
    pub translator: Option<String>,
    /// Date of the stored units (YYYYMMDDThhmmssZ); default SOURCE_DATE_EPOCH, else now.
    #[arg(long)]
    pub date: Option<String>,
    /// The target document (one XLIFF only); default JOB/translations/LANG/NAME.txt.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Report format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

/// Runs `dragoman finish`.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let date = dragoman::pipeline::creation_date(a.date.as_deref(), None)?;
    let opts = FinishOptions {
        translator: a.translator.clone(),
        date: Some(date),
        output: a.output.clone(),
    };
    // Everything is read and checked before anything is written or a store created.
    let done = finish::finish(&a.path, &opts)?;
    let mut store = match &a.tm {
        Some(loc) => Some(
            Store::open(loc, Mode::Create, Duration::from_secs(10))
                .with_context(|| format!("--tm {loc}"))?,
        ),
        None => None,
    };
    done.write_documents(&opts)?;
    let (reports, manifest) = (&done.reports, &done.manifest);
    let mut imported = None;
    if let (Some(st), Some(loc)) = (store.as_mut(), &a.tm) {
        let units = done.units();
        let n = units.len();
        let reader = EntryReader::new(
            units,
            vec![manifest.source_lang.clone(), manifest.target_lang.clone()],
        );
        let rep = st.import_reader(
            Box::new(reader),
            &format!("dragoman finish {}", a.path.display()),
            &ImportOptions::default(),
            &indicatif::ProgressBar::hidden(),
        )?;
        imported = Some((loc.clone(), n, rep));
    }
    if a.format == "json" {
        let v = serde_json::json!({
            "files": reports,
            "store": imported.as_ref().map(|(loc, n, r)| serde_json::json!({"store": loc, "units": n, "report": r})),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    print_text(reports, manifest, imported.as_ref());
    Ok(0)
}

fn print_text(
    reports: &[finish::FileReport],
    manifest: &Manifest,
    imported: Option<&(String, usize, dragoman::tm::store::ImportReport)>,
) {
    let short = |ids: &[String]| {
        let mut s = ids.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
        if ids.len() > 8 {
            s.push_str(", …");
        }
        s
    };
    for r in reports {
        println!(
            "{}: {} of {} segments translated ({} -> {})",
            r.name, r.translated, r.segments, manifest.source_lang, manifest.target_lang
        );
        if r.untranslated.is_empty() {
            println!("  nothing left untranslated");
        } else {
            println!(
                "  {} still untranslated (kept in {}): {}",
                r.untranslated.len(),
                manifest.source_lang,
                short(&r.untranslated)
            );
        }
        if r.changed.is_empty() {
            println!("  no pre-translation changed");
        } else {
            println!(
                "  {} pre-translation(s) changed by the translator:",
                r.changed.len()
            );
            for c in r.changed.iter().take(8) {
                println!(
                    "    {}  {}  ->  {}",
                    c.id,
                    crate::cli::out::shorten(&c.prefilled, 50),
                    if c.now.is_empty() {
                        "(removed)".to_string()
                    } else {
                        crate::cli::out::shorten(&c.now, 50)
                    }
                );
            }
        }
        println!("  read {}", r.xliff.display());
        println!("  wrote {}", r.output.display());
    }
    if let Some((loc, n, rep)) = imported {
        println!(
            "{loc}: {n} translated segment(s) added: {} new, {} already there, {} conflicting (kept)",
            rep.new, rep.duplicates, rep.conflicts
        );
    }
}
