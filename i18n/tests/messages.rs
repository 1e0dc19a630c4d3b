//! The message files are complete and all used: every message of the English files is in the
//! German and Spanish ones (and nothing else is), every one parses, a translation uses no variable
//! the code does not pass, every message is used by the code, and every message the code asks for
//! exists. Checked for the UI's files and the shell's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use authdesk_i18n::Language;
use fluent_syntax::ast;

/// Message id → the variables its value uses.
type Messages = BTreeMap<String, BTreeSet<String>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_in(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn variables_of(pattern: &ast::Pattern<String>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<String>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, into),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                variables_of(&variant.value, into);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<String>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.clone());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, into);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

/// The messages of one file, or why it is refused.
fn read_file(path: &Path) -> Result<Messages, String> {
    let source = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let resource = fluent_syntax::parser::parse(source).map_err(|(_, errors)| format!("does not parse: {errors:?}"))?;
    let mut messages = Messages::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let Some(value) = &message.value else {
                return Err(format!("{} has no value", message.id.name));
            };
            let mut variables = BTreeSet::new();
            variables_of(value, &mut variables);
            if messages.insert(message.id.name.clone(), variables).is_some() {
                return Err(format!("{} is written twice", message.id.name));
            }
        }
    }
    Ok(messages)
}

/// Every problem with one app's message files (`locales/<folder>/*.ftl`) and its code (`src`).
fn problems(app: &str) -> Vec<String> {
    problems_at(&root(), app)
}

fn problems_at(root: &Path, app: &str) -> Vec<String> {
    let locales = root.join(app).join("locales");
    let mut problems = Vec::new();
    let mut english = Messages::new();
    let english_files = files_in(&locales.join("en"), "ftl");
    if english_files.is_empty() {
        problems.push(format!("{app}: no English message files in {}", locales.display()));
    }
    for file in &english_files {
        match read_file(file) {
            Ok(messages) => english.extend(messages),
            Err(e) => problems.push(format!("{}: {e}", file.display())),
        }
    }
    for language in Language::CHOICES.into_iter().filter(|l| *l != Language::English) {
        for english_file in &english_files {
            let file = locales.join(language.folder()).join(english_file.file_name().unwrap());
            let (theirs, ours) = match (read_file(&file), read_file(english_file)) {
                (Ok(theirs), Ok(ours)) => (theirs, ours),
                (Err(e), _) => {
                    problems.push(format!("{}: {e}", file.display()));
                    continue;
                }
                _ => continue,
            };
            for (id, variables) in &ours {
                match theirs.get(id) {
                    None => problems.push(format!("{}: `{id}` is missing", file.display())),
                    Some(used) => {
                        for unknown in used.difference(variables) {
                            problems
                                .push(format!("{}: `{id}` uses ${unknown}, which English does not", file.display()));
                        }
                    }
                }
            }
            for id in theirs.keys().filter(|id| !ours.contains_key(*id)) {
                problems.push(format!("{}: `{id}` is not in English", file.display()));
            }
        }
        let extra = files_in(&locales.join(language.folder()), "ftl")
            .into_iter()
            .filter(|f| !english_files.iter().any(|e| e.file_name() == f.file_name()));
        for file in extra {
            problems.push(format!("{}: no English file of that name", file.display()));
        }
    }

    // The code asks for messages by their id, written as a string literal.
    let mut code = String::new();
    for file in files_in(&root.join(app).join("src"), "rs") {
        code.push_str(&std::fs::read_to_string(file).unwrap());
    }
    for id in english.keys() {
        if !code.contains(&format!("\"{id}\"")) {
            problems.push(format!("{app}: `{id}` is not used by the code"));
        }
    }
    for asked in asked_for(&code) {
        if !english.contains_key(&asked) {
            problems.push(format!("{app}: the code asks for `{asked}`, which no message file has"));
        }
    }
    problems
}

/// The ids in `t!("…"` calls (the UI) and `.text("…"` calls (the shell).
fn asked_for(code: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for opening in ["t!(\"", ".text(\""] {
        for (at, _) in code.match_indices(opening) {
            // `t!(` itself, not the end of `format!(` or `concat!(`.
            let before = code[..at].chars().next_back();
            if opening.starts_with('t') && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + opening.len()..];
            if let Some(end) = rest.find('"') {
                ids.insert(rest[..end].to_owned());
            }
        }
    }
    ids
}

#[test]
fn the_ui_messages_are_complete_and_used() {
    let problems = problems("ui");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_shell_messages_are_complete_and_used() {
    let problems = problems("src-tauri");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The check itself finds what it is for (it would pass on anything otherwise).
#[test]
fn a_missing_translation_and_an_unused_message_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    for (folder, text) in [
        ("en", "hello = Hello\nbye = Bye { $name }\n"),
        ("de", "hello = Hallo { $who }\n"),
        ("es", "hello = Hola\nbye = Adiós\n"),
    ] {
        std::fs::create_dir_all(app.join("locales").join(folder)).unwrap();
        std::fs::write(app.join("locales").join(folder).join("main.ftl"), text).unwrap();
    }
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(app.join("src/main.rs"), "t!(\"hello\"); t!(\"gone\"); format!(\"{x}\");").unwrap();
    let found = problems_at(dir.path(), "app").join("\n");
    for expected in ["`bye` is missing", "`hello` uses $who", "`bye` is not used", "asks for `gone`"] {
        assert!(found.contains(expected), "{expected:?} not found in:\n{found}");
    }
    assert!(!found.contains("{x}"), "format!(…) is not a message: {found}");
}
