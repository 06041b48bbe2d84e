fn main() {
    let t = std::time::Instant::now();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let cfg = deck_sim::SimConfig { tickets: 100_000, ..Default::default() };
        let sim = deck_sim::start(cfg, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        println!("started in {:?}", t.elapsed());
        let t2 = std::time::Instant::now();
        let d = sim.dataset();
        println!("clone in {:?} ({} msgs)", t2.elapsed(), d.message_count());
    });
}
