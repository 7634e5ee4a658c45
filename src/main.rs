fn main() {
    xeroctl::complete_if_asked();
    let streams = xeroctl::Streams::from_process();
    std::process::exit(xeroctl::run(std::env::args_os(), streams));
}
