fn main() {
    eprintln!("bench convert: not written yet");
}
