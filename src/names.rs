//! The ways people write a listed person's name: in full, first name and first surname, all given names and
//! first surname, and title + surname ("la Mtra. Pérez"); and, for rules that pair them with context, the
//! first surname alone and the first name with its usual nicknames ("Gaby" for Gabriela). Accents and case are
//! handled by normalization.

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

/// Words that join the words around them into one surname: "Montes de Oca", "de la Cruz".
const PARTICLES: [&str; 6] = ["de", "del", "la", "las", "los", "y"];

/// Nicknames Mexicans use for common first names; the name itself is always a form too.
const NICKNAMES: [(&str, &[&str]); 40] = [
    ("alejandra", &["ale"]),
    ("alejandro", &["alex", "ale"]),
    ("alberto", &["beto"]),
    ("antonio", &["tono"]),
    ("concepcion", &["conchita", "conchis"]),
    ("daniel", &["dani"]),
    ("daniela", &["dani"]),
    ("dolores", &["lola"]),
    ("eduardo", &["lalo"]),
    ("elizabeth", &["eli", "liz"]),
    ("enrique", &["quique", "kike"]),
    ("ernesto", &["neto"]),
    ("fernanda", &["fer"]),
    ("fernando", &["fer"]),
    ("francisco", &["paco", "pancho"]),
    ("gabriela", &["gaby", "gabi"]),
    ("gabriel", &["gabo"]),
    ("graciela", &["chela"]),
    ("guadalupe", &["lupe", "lupita"]),
    ("guillermo", &["memo"]),
    ("ignacio", &["nacho"]),
    ("jesus", &["chuy"]),
    ("jose", &["pepe"]),
    ("josefina", &["chepina", "pepa"]),
    ("manuel", &["manolo", "meme"]),
    ("margarita", &["mago"]),
    ("maria", &["mari"]),
    ("mercedes", &["meche"]),
    ("patricia", &["paty", "pati"]),
    ("rafael", &["rafa"]),
    ("refugio", &["cuca", "cuco"]),
    ("roberto", &["beto"]),
    ("rodrigo", &["rodri"]),
    ("rosario", &["chayo"]),
    ("salvador", &["chava"]),
    ("santiago", &["santi"]),
    ("sergio", &["checo"]),
    ("soledad", &["chole"]),
    ("teresa", &["tere"]),
    ("veronica", &["vero"]),
];

/// Splits a Mexican full name into given names and surnames: the last two surnames when there are three or
/// more words, a surname holding the particles before it and the word they join ("Gabriela | Montes de Oca |
/// Treviño"). Each returned part is one name, possibly of several words.
fn split(full_name: &str) -> (Vec<String>, Vec<String>) {
    let tokens: Vec<&str> = full_name.split_whitespace().collect();
    let is_particle = |t: &str| PARTICLES.contains(&t.to_lowercase().as_str());
    // Units from the right: a word with the particles before it, and with the word before those particles
    // when one is left for the given name ("Montes de Oca").
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut end = tokens.len();
    while end > 0 {
        let mut start = end - 1;
        while start > 0 && is_particle(tokens[start - 1]) {
            start -= 1;
        }
        if start < end - 1 && start > 1 {
            start -= 1;
        }
        units.push((start, end));
        end = start;
    }
    units.reverse();
    let join = |&(a, b): &(usize, usize)| tokens[a..b].join(" ");
    let surnames_from = match units.len() {
        0 | 1 => units.len(),
        2 => 1,
        n => n - 2,
    };
    let given = units[..surnames_from].iter().map(join).collect();
    let surnames = units[surnames_from..].iter().map(join).collect();
    (given, surnames)
}

/// The first surname alone, for rules that pair it with context (`#EquipoPérez`, `¡Vamos Ibarra!`).
pub fn first_surname(full_name: &str) -> Option<String> {
    split(full_name).1.into_iter().next()
}

/// The first name and its usual nicknames, for rules that pair them with context (`#ConFernanda`, "los
/// recorridos de Gaby"). Empty for a one-word name, which is a surname or a nickname already.
pub fn first_name_forms(full_name: &str) -> Vec<String> {
    let (given, surnames) = split(full_name);
    let Some(first) = given.first().filter(|_| !surnames.is_empty()) else {
        return Vec::new();
    };
    let folded = crate::normalize::Normalized::new(first).text;
    let mut out = vec![first.clone()];
    if let Some((_, nicknames)) = NICKNAMES.iter().find(|(name, _)| *name == folded) {
        out.extend(nicknames.iter().map(|n| n.to_string()));
    }
    out
}

/// Every variant under which a full name is matched.
pub fn variants(full_name: &str) -> Vec<String> {
    let (given, surnames) = split(full_name);
    let mut out = vec![full_name.split_whitespace().collect::<Vec<_>>().join(" ")];
    if given.is_empty() || surnames.is_empty() {
        return out;
    }
    let first_surname = surnames[0].as_str();
    out.push(format!("{} {first_surname}", given[0]));
    if given.len() > 1 {
        out.push(format!("{} {first_surname}", given.join(" ")));
        out.push(format!("{} {}", given[0], surnames.join(" ")));
    }
    for title in TITLES {
        for name in [first_surname, given[0].as_str()] {
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
    fn compound_surnames_keep_their_particles() {
        assert_eq!(first_surname("Gabriela Montes de Oca Treviño").as_deref(), Some("Montes de Oca"));
        assert_eq!(first_surname("José de la Cruz Martínez").as_deref(), Some("de la Cruz"));
        let v = variants("Gabriela Montes de Oca Treviño");
        assert!(v.contains(&"Gabriela Montes de Oca".to_string()), "{v:?}");
        assert!(!v.iter().any(|x| x == "Gabriela Oca"), "{v:?}");
    }

    #[test]
    fn first_names_and_nicknames() {
        assert_eq!(first_name_forms("Gabriela Montes de Oca Treviño"), ["Gabriela", "gaby", "gabi"]);
        assert_eq!(first_name_forms("Verónica Lozano Pineda"), ["Verónica", "vero"]);
        assert_eq!(first_name_forms("Citlali Herrera Benítez"), ["Citlali"]);
        assert!(first_name_forms("Salinas").is_empty());
    }

    #[test]
    fn two_word_names() {
        let v = variants("Jorge Ramírez");
        assert!(v.contains(&"Jorge Ramírez".to_string()));
        assert!(v.contains(&"lic. Ramírez".to_string()));
    }
}
