use clap::Parser;

fn main() -> std::process::ExitCode {
    hashiya::cli::run(hashiya::cli::Cli::parse())
}
