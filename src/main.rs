//! The PWA's entry point, built by trunk.

fn main() {
    wenming::run();
}
