//! The words and models generated devices are made of.

use helpatwork_domain::Platform;

/// First names of generated device users.
pub const FIRST_NAMES: [&str; 24] = [
    "Ana",
    "Bruno",
    "Carla",
    "Diego",
    "Eduarda",
    "Felipe",
    "Gabriela",
    "Heitor",
    "Isabela",
    "João",
    "Karina",
    "Lucas",
    "Mariana",
    "Nicolas",
    "Olívia",
    "Paulo",
    "Rafaela",
    "Samuel",
    "Tatiane",
    "Vinícius",
    "Wesley",
    "Yasmin",
    "Zeca",
    "Helena",
];

/// Last names of generated device users.
pub const LAST_NAMES: [&str; 16] = [
    "Souza",
    "Oliveira",
    "Santos",
    "Lima",
    "Pereira",
    "Costa",
    "Almeida",
    "Ferreira",
    "Rodrigues",
    "Gomes",
    "Martins",
    "Araújo",
    "Ribeiro",
    "Carvalho",
    "Barbosa",
    "Rocha",
];

/// A device model and the OS versions it is generated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    pub manufacturer: &'static str,
    pub model: &'static str,
    pub platform: Platform,
    pub os: &'static [&'static str],
}

pub(crate) const ANDROID: [Model; 7] = [
    Model {
        manufacturer: "Samsung",
        model: "Galaxy S23",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Samsung",
        model: "Galaxy A54",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Samsung",
        model: "Galaxy XCover6 Pro",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Google",
        model: "Pixel 8",
        platform: Platform::Android,
        os: &["14", "15"],
    },
    Model {
        manufacturer: "Google",
        model: "Pixel 7a",
        platform: Platform::Android,
        os: &["14", "15"],
    },
    Model {
        manufacturer: "Motorola",
        model: "moto g84",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Zebra",
        model: "TC58",
        platform: Platform::Android,
        os: &["11", "13"],
    },
];

pub(crate) const IOS: [Model; 4] = [
    Model {
        manufacturer: "Apple",
        model: "iPhone 15",
        platform: Platform::Ios,
        os: &["17.6.1", "18.1"],
    },
    Model {
        manufacturer: "Apple",
        model: "iPhone 13",
        platform: Platform::Ios,
        os: &["16.7.10", "17.6.1"],
    },
    Model {
        manufacturer: "Apple",
        model: "iPhone SE",
        platform: Platform::Ios,
        os: &["15.8.3", "16.7.10"],
    },
    Model {
        manufacturer: "Apple",
        model: "iPad (9th generation)",
        platform: Platform::Ios,
        os: &["17.6.1", "18.1"],
    },
];

pub(crate) const OLD_IOS: Model = Model {
    manufacturer: "Apple",
    model: "iPhone 5c",
    platform: Platform::Ios,
    os: &["10.3.3", "10.3.4"],
};

pub(crate) const OTHER: [Model; 2] = [
    Model {
        manufacturer: "Microsoft",
        model: "Surface Go 3",
        platform: Platform::Windows,
        os: &["10.0.22631"],
    },
    Model {
        manufacturer: "Apple",
        model: "MacBook Air",
        platform: Platform::Macos,
        os: &["14.6"],
    },
];

/// Every model a mixed fleet is made of.
pub fn models() -> impl Iterator<Item = &'static Model> {
    ANDROID
        .iter()
        .chain(IOS.iter())
        .chain(std::iter::once(&OLD_IOS))
        .chain(OTHER.iter())
}

/// `João` → `joao`: the generated e-mail addresses are ASCII.
pub fn ascii_fold(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'á' | 'ã' | 'â' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}
