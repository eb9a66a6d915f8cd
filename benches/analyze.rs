//! Speed of the engine with the embedded pack: a post (280 characters), a LinkedIn article (3,000) and
//! Facebook's maximum (63,206); compiling the pack; and, as the floor, one `\w+` pass over the same texts.

use blindaje::context::parse_date;
use blindaje::{Account, Context, Engine, Kind, Policy};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

/// Realistic institutional text with a violating sentence every few paragraphs.
fn text_of(len: usize) -> String {
    const PARTS: [&str; 4] = [
        "La Comisión Estatal de Derechos Humanos informa que la atención de quejas continúa de 9 a 17 h; trae tu INE. ",
        "Hoy es #DíaNaranja: ¡únete contra la violencia hacia las mujeres! 🧡 ",
        "Gracias al liderazgo de nuestra Presidenta logramos 40% más conciliaciones y este 6 de junio vota por Morena. ",
        "Publicamos el informe 4T-2026 en la Plataforma Nacional de Transparencia, con la estadística de quejas. ",
    ];
    let mut text = String::new();
    let mut i = 0;
    while text.chars().count() < len {
        text.push_str(PARTS[i % PARTS.len()]);
        i += 1;
    }
    text.chars().take(len).collect()
}

fn benches(c: &mut Criterion) {
    let engine = Engine::new(Policy::default(), None).unwrap();
    let context = Context::new(Account::Institutional, parse_date("2027-04-20").unwrap(), Kind::Post);
    let floor = regex::Regex::new(r"\w+").unwrap();
    let mut group = c.benchmark_group("analyze");
    for len in [280, 3_000, 63_206] {
        let text = text_of(len);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("engine", len), &text, |b, t| {
            b.iter(|| engine.analyze(black_box(t), &context))
        });
        group.bench_with_input(BenchmarkId::new("floor-word-regex", len), &text, |b, t| {
            b.iter(|| floor.find_iter(black_box(t)).count())
        });
    }
    group.finish();
    c.bench_function("compile-default-pack", |b| b.iter(|| Engine::new(Policy::default(), None).unwrap()));
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
