//! The ways people write a listed person's name: in full, first name and first surname, all given names and
//! first surname, and title + surname ("la Mtra. Pérez"). Accents and case are handled by normalization.

/// Titles and offices that, before a surname, point at a person.
const TITLES: [&str; 44] = [
    "lic",
    "licenciada",
    "licenciado",
    "mtra",
    "mtro",
    "maestra",
    "maestro",
    "dra",
    "dr",
    "doctora",
    "doctor",
    "ing",
    "ingeniera",
    "ingeniero",
    "arq",
    "m.c",
    "presidenta",
    "presidente",
    "visitadora",
    "visitador",
    "secretaria",
    "secretario",
    "consejera",
    "consejero",
    "comisionada",
    "comisionado",
    "ombudsperson",
    "gobernadora",
    "gobernador",
    "senadora",
    "senador",
    "diputada",
    "diputado",
    "alcaldesa",
    "alcalde",
    "candidata",
    "candidato",
    "regidora",
    "regidor",
    "sra",
    "sr",
    "don",
    "dona",
    "coordinadora",
];

/// Splits a Mexican full name: the last two words are the surnames when there are three or more.
fn split(full_name: &str) -> (Vec<&str>, Vec<&str>) {
    let tokens: Vec<&str> = full_name.split_whitespace().collect();
    let at = match tokens.len() {
        0 | 1 => return (tokens, Vec::new()),
        2 => 1,
        n => n - 2,
    };
    (tokens[..at].to_vec(), tokens[at..].to_vec())
}

/// The first surname alone, for rules that pair it with context (`#EquipoPérez`, `¡Vamos Ibarra!`).
pub fn first_surname(full_name: &str) -> Option<String> {
    split(full_name).1.first().map(|s| s.to_string())
}

/// Every variant under which a full name is matched.
pub fn variants(full_name: &str) -> Vec<String> {
    let tokens: Vec<&str> = full_name.split_whitespace().collect();
    let mut out = vec![tokens.join(" ")];
    if tokens.len() < 2 {
        return out;
    }
    let surnames_at = if tokens.len() >= 3 { tokens.len() - 2 } else { 1 };
    let (given, surnames) = tokens.split_at(surnames_at);
    let first_surname = surnames[0];
    out.push(format!("{} {first_surname}", given[0]));
    if given.len() > 1 {
        out.push(format!("{} {first_surname}", given.join(" ")));
        out.push(format!("{} {}", given[0], surnames.join(" ")));
    }
    for title in TITLES {
        for name in [first_surname, given[0]] {
            out.push(format!("{title} {name}"));
            if title.len() <= 4 {
                out.push(format!("{title}. {name}"));
            }
        }
    }
    for office in ["visitador general", "visitadora general", "secretaria ejecutiva", "secretario ejecutivo"] {
        out.push(format!("{office} {first_surname}"));
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_of_a_mexican_name() {
        let v = variants("Ana Laura Pérez Gómez");
        for expected in [
            "Ana Laura Pérez Gómez",
            "Ana Pérez",
            "Ana Laura Pérez",
            "Ana Pérez Gómez",
            "mtra. Pérez",
            "presidenta Pérez",
        ] {
            assert!(v.iter().any(|x| x == expected), "{expected} missing from {v:?}");
        }
        assert!(!v.iter().any(|x| x == "Pérez"), "a surname alone is too ambiguous");
    }

    #[test]
    fn two_word_names() {
        let v = variants("Jorge Ramírez");
        assert!(v.contains(&"Jorge Ramírez".to_string()));
        assert!(v.contains(&"lic. Ramírez".to_string()));
    }
}
