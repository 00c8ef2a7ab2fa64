//! The app's entry point: in the browser it mounts the Yew app; natively it only points elsewhere.

#[cfg(target_arch = "wasm32")]
fn main() {
    async_lanes::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "async-lanes: the app runs in a browser (scripts/serve builds and serves it). \
         On the command line, run the simulation with: cargo run --release --example simulate -- help"
    );
    std::process::exit(2);
}
