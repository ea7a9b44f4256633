fn main() {
    eprintln!("bench align: not written yet");
}
