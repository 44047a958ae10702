//! The list's argument names are the parameter names of the functions in `commands.rs` (Tauri
//! reads each argument by its parameter's name), and every `#[tauri::command]` there is listed.
//! The types are checked by the compiler (`contract.rs`); the names only here, from the source.

use std::collections::BTreeMap;

type Signatures = BTreeMap<String, Vec<String>>;

/// Each listed command with its argument names, in order.
fn listed() -> Signatures {
    macro_rules! names {
        ($($name:ident($($arg:ident: $ty:ty),*) -> $answer:ty;)*) => {
            [$((stringify!($name), vec![$(stringify!($arg)),*])),*]
        };
    }
    with_commands!(names)
        .into_iter()
        .map(|(name, args)| {
            (
                name.to_string(),
                args.into_iter().map(String::from).collect(),
            )
        })
        .collect()
}

fn is_tauri_command(attr: &syn::Attribute) -> bool {
    let path: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    path == ["tauri", "command"] || path == ["command"]
}

/// The window's arguments of a command function: its parameters but the shell's `State`.
fn window_arguments(function: &syn::ItemFn) -> Vec<String> {
    function
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => Some(typed),
            syn::FnArg::Receiver(_) => None,
        })
        .filter(|typed| match &*typed.ty {
            syn::Type::Path(path) => path.path.segments.last().is_none_or(|s| s.ident != "State"),
            _ => true,
        })
        .map(|typed| match &*typed.pat {
            syn::Pat::Ident(ident) => ident.ident.to_string(),
            _ => panic!(
                "{}: a command's arguments are plain names",
                function.sig.ident
            ),
        })
        .collect()
}

fn defined() -> Signatures {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/commands.rs");
    let source = std::fs::read_to_string(path).expect("src/commands.rs");
    let file = syn::parse_file(&source).expect("src/commands.rs parses");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(function) if function.attrs.iter().any(is_tauri_command) => {
                Some((function.sig.ident.to_string(), window_arguments(function)))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_list_names_every_command_and_its_arguments_as_commands_rs_does() {
    let defined = defined();
    let listed = listed();
    assert!(!defined.is_empty(), "src/commands.rs defines the commands");
    let names: std::collections::BTreeSet<&String> = defined.keys().chain(listed.keys()).collect();
    let differ: Vec<String> = names
        .into_iter()
        .filter(|name| defined.get(*name) != listed.get(*name))
        .map(|name| {
            format!(
                "{name}: listed {:?}, commands.rs {:?}",
                listed.get(name),
                defined.get(name)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "src-tauri/src/command_list.rs lists each #[tauri::command] of src-tauri/src/commands.rs \
         with its parameters' names, in order: {differ:#?}"
    );
}

#[test]
fn a_renamed_argument_is_caught() {
    let source = "#[tauri::command]\npub async fn get_device(state: State<'_, AppState>, \
                  device: String) -> Result<DeviceDetail> { todo!() }";
    let file = syn::parse_file(source).unwrap();
    let syn::Item::Fn(function) = &file.items[0] else {
        panic!("a function")
    };
    assert_eq!(window_arguments(function), ["device"]);
    assert_ne!(listed()["get_device"], window_arguments(function));
}
