//! Splits the UI's wasm by route, after wasm-bindgen: `split-wasm ORIGINAL BINDGEN_DIR NAME`.
//!
//! With Dioxus's `wasm-split` feature every route's screen is called through a lazy loader; this
//! step (what `dx build --wasm-split` does, with Dioxus's own splitter) moves each screen's code
//! into `module_<n>_<screen>.wasm` (code that only screens share is copied into each: this
//! splitter's shared chunk stays empty, and a chunk no screen needs is not written), leaves the
//! rest and all data in `<NAME>_bg.wasm`, and writes the loader the screens import,
//! `__wasm_split.js`. A launch then fetches and compiles the shell of the UI and the one screen it
//! shows.
//!
//! ORIGINAL is rustc's output linked with `--emit-relocs` (the splitter follows the relocations
//! to know which function calls which); BINDGEN_DIR is wasm-bindgen's output for it (run with
//! `--keep-lld-exports --keep-debug --no-demangle`: the splitter pairs the two modules' functions
//! by name, and demangled names are not unique). Every file written is stripped of custom
//! sections (names, debug information, relocations), which only the splitter needed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use wasm_split_cli::{SplitModule, Splitter, MAKE_LOAD_JS};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [original, dir, name] = args.as_slice() else {
        bail!("usage: split-wasm ORIGINAL_WASM BINDGEN_DIR NAME");
    };
    let dir = PathBuf::from(dir);
    let main_path = dir.join(format!("{name}_bg.wasm"));
    let original = read(Path::new(original))?;
    let bindgened = read(&main_path)?;

    let split = Splitter::new(&original, &bindgened)
        .context("reading the wasm for splitting")?
        .emit()
        .context("splitting the wasm")?;

    let mut glue = format!(
        "// Written by tools/split-wasm: loads a screen's wasm the first time it is shown.\n\
         import {{ initSync }} from \"./{name}.js\";\n{MAKE_LOAD_JS}\n\
         const url = (file) => new URL(file, import.meta.url).href;\n"
    );
    let needed: std::collections::BTreeSet<usize> =
        split.modules.iter().flat_map(|module| module.relies_on_chunks.iter().copied()).collect();
    for index in needed.iter().copied() {
        let chunk = split.chunks.get(index).context("a screen relies on a chunk the splitter did not make")?;
        let file = format!("chunk_{index}_{}.wasm", chunk.module_name);
        write_stripped(&dir.join(&file), &chunk.bytes)?;
        writeln!(
            glue,
            "export const __wasm_split_load_chunk_{index} = makeLoad(url(\"{file}\"), [], fusedImports, initSync);"
        )?;
    }
    for (index, module) in split.modules.iter().enumerate() {
        let (component, hash) = names(module)?;
        let file = format!("module_{index}_{component}.wasm");
        write_stripped(&dir.join(&file), &module.bytes)?;
        let mut chunks: Vec<usize> = module.relies_on_chunks.iter().copied().collect();
        chunks.sort_unstable();
        let deps: Vec<String> = chunks.iter().map(|c| format!("__wasm_split_load_chunk_{c}")).collect();
        writeln!(
            glue,
            "export const __wasm_split_load_{}_{hash}_{component} = makeLoad(url(\"{file}\"), [{}], fusedImports, initSync);",
            module.module_name,
            deps.join(", ")
        )?;
    }
    std::fs::write(dir.join("__wasm_split.js"), glue).context("writing __wasm_split.js")?;
    write_stripped(&main_path, &split.main.bytes)?;
    println!("split-wasm: {} screens, {} shared chunks", split.modules.len(), needed.len());
    Ok(())
}

fn names(module: &SplitModule) -> Result<(&str, &str)> {
    match (&module.component_name, &module.hash_id) {
        (Some(component), Some(hash)) => Ok((component, hash)),
        _ => bail!("split module {} has no component name or hash", module.module_name),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Writes a wasm module without its custom sections (id 0): names, DWARF, producers.
fn write_stripped(path: &Path, wasm: &[u8]) -> Result<()> {
    std::fs::write(path, strip_custom_sections(wasm)?).with_context(|| format!("writing {}", path.display()))
}

fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    const HEADER: usize = 8;
    if wasm.len() < HEADER || &wasm[..4] != b"\0asm" {
        bail!("not a wasm module");
    }
    let mut out = wasm[..HEADER].to_vec();
    let mut at = HEADER;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, body) = leb128_u32(wasm, at + 1)?;
        let end = body.checked_add(size as usize).filter(|&e| e <= wasm.len());
        let Some(end) = end else { bail!("a section runs past the end of the module") };
        if id != 0 {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An unsigned LEB128 at `at`: the value and where what follows it starts.
fn leb128_u32(bytes: &[u8], mut at: usize) -> Result<(u32, usize)> {
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
        let Some(&byte) = bytes.get(at) else { bail!("truncated section size") };
        at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
    bail!("section size longer than 5 bytes")
}

#[cfg(test)]
mod tests {
    use super::strip_custom_sections;

    const HEADER: &[u8] = b"\0asm\x01\0\0\0";
    /// A type section with one `() -> ()` function type.
    const TYPES: &[u8] = &[1, 4, 1, 0x60, 0, 0];

    fn custom(name: &str, payload: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(payload);
        let mut section = vec![0, body.len() as u8];
        section.extend(body);
        section
    }

    #[test]
    fn custom_sections_go_and_the_rest_stays_byte_for_byte() {
        let module = [HEADER, &custom("name", b"\x01\x02"), TYPES, &custom(".debug_info", &[7; 100])].concat();
        assert_eq!(strip_custom_sections(&module).unwrap(), [HEADER, TYPES].concat());
    }

    #[test]
    fn a_section_running_past_the_end_is_refused() {
        let module = [HEADER, &[1, 40, 1]].concat();
        assert!(strip_custom_sections(&module).unwrap_err().to_string().contains("past the end"));
        assert!(strip_custom_sections(b"not wasm").is_err());
    }
}
