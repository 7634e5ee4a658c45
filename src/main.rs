fn main() {
    std::process::exit(xeroctl::run());
}
