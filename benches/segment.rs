fn main() {
    eprintln!("bench segment: not written yet");
}
