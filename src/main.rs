use clap::Parser;

// Corpus-wide commands (agreement, merge, export) make and free millions of small strings on two
// threads; mimalloc does that with less work than the system allocator (agreement on 10,000
// documents x 3 annotators: 1.39 s -> 1.14 s wall, measured side by side; docs/agreement.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hashiya::cli::run(hashiya::cli::Cli::parse())
}
