//! The layer rule, checked over the server's module graph (the `crate::`
//! paths in `server/src`, comments left out): no import cycle between the
//! top-level modules, and no import upward between the named layers —
//! the floor (shared kit every capability stands on) imports only the
//! floor; a capability imports the floor and other capabilities (never in a
//! cycle); only the assembly (what puts the capabilities together) imports
//! the assembly. docs/architecture.md explains the layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The shared kit under every capability.
const FLOOR: &[&str] = &[
    "audit",
    "cache",
    "clock",
    "keyed_hashes",
    "keys",
    "limits",
    "photos",
    "sealed_phones",
    "shared_reads",
    "storage",
    "telemetry",
    "ttl_cache",
    "web",
];

/// What puts the capabilities together: the settings, the store of every
/// slice, the services (which build each capability's page port), the
/// registration list, the router, the demo data.
const ASSEMBLY: &[&str] = &[
    "capabilities",
    "config",
    "demo",
    "routes",
    "services",
    "store",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Floor,
    Capability,
    Assembly,
}

fn layer(module: &str) -> Layer {
    if FLOOR.contains(&module) {
        Layer::Floor
    } else if ASSEMBLY.contains(&module) {
        Layer::Assembly
    } else {
        Layer::Capability
    }
}

/// The text without its comments (doc links are not imports).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
        } else if rest.starts_with('"') {
            // A string is kept whole: "//" inside SQL or a URL is no comment.
            let end = rest[1..]
                .char_indices()
                .scan(false, |escaped, (i, c)| {
                    let stop = c == '"' && !*escaped;
                    *escaped = c == '\\' && !*escaped;
                    Some((i, stop))
                })
                .find(|(_, stop)| *stop)
                .map_or(rest.len(), |(i, _)| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each top-level module's imports of the others, with the files that make
/// each edge.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let top = |p: &Path| -> String {
        let rel = p.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        first.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| top(p))
        .filter(|m| m != "main" && m != "lib")
        .collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = top(file);
        if !modules.contains(&from) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let edges = graph.entry(from.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != from && modules.contains(&name) {
                let rel = file.strip_prefix(&src).unwrap().display().to_string();
                edges.entry(name).or_default().insert(rel);
            }
        }
    }
    graph
}

/// The strongly connected groups of more than one module (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        let next: Vec<&'a str> = w
            .graph
            .get(v)
            .map(|e| e.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for u in next {
            if !w.index.contains_key(u) {
                visit(w, u);
                let low = w.low[v].min(w.low[u]);
                w.low.insert(v, low);
            } else if w.stack.contains(&u) {
                let low = w.low[v].min(w.index[u]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = Vec::new();
            while let Some(u) = w.stack.pop() {
                group.push(u.to_string());
                if u == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.found.push(group);
            }
        }
    }
    let mut w = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.found
}

#[test]
fn the_server_modules_form_no_import_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 20, "the graph was read: {graph:?}");
    let found = cycles(&graph);
    let mut explain = Vec::new();
    for group in &found {
        for a in group {
            for (b, files) in &graph[a] {
                if group.contains(b) {
                    explain.push(format!("{a} -> {b} ({files:?})"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "import cycles: {found:?}\nthe edges inside them:\n{}",
        explain.join("\n")
    );
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let graph = module_graph();
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(from, edges)| {
            edges
                .iter()
                .filter(|(to, _)| layer(to) > layer(from))
                .map(move |(to, files)| {
                    format!(
                        "{from} ({:?}) -> {to} ({:?}) in {files:?}",
                        layer(from),
                        layer(to)
                    )
                })
        })
        .collect();
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn the_check_reads_code_not_comments() {
    let code = code_of("use crate::a; // crate::b\n/* crate::c */ let s = \"crate::d // x\";");
    assert!(code.contains("crate::a") && code.contains("crate::d"));
    assert!(!code.contains("crate::b") && !code.contains("crate::c"));
    let mut g = Graph::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into())
            .or_default()
            .insert(b.into(), BTreeSet::new());
    };
    edge(&mut g, "a", "b");
    edge(&mut g, "b", "c");
    assert!(cycles(&g).is_empty());
    edge(&mut g, "c", "a");
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
    assert!(layer("storage") < layer("voting") && layer("voting") < layer("routes"));
}

/// What `capabilities.rs` must name for a capability folder's part to be
/// reached at all: a storage trait is part of `Store`, `http.rs` and `api.rs`
/// are mounted, `pages.rs` is provided to the pages.
fn registrations_missing() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let register = code_of(&std::fs::read_to_string(src.join("capabilities.rs")).unwrap());
    let mut missing = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        if layer(&name) != Layer::Capability {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&folder, &mut files);
        for file in &files {
            let code = code_of(&std::fs::read_to_string(file).unwrap());
            for (i, _) in code.match_indices("pub trait ") {
                let trait_name: String = code[i + 10..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if trait_name.ends_with("Storage") && !register.contains(&trait_name) {
                    missing.push(format!("{name}: the storage slice {trait_name}"));
                }
            }
        }
        if folder.join("http.rs").exists()
            && !register.contains(&format!("crate::{name}::http::routes()"))
        {
            missing.push(format!("{name}: the form routes of http.rs"));
        }
        if folder.join("api.rs").exists()
            && !register.contains(&format!("crate::{name}::api::api_routes()"))
        {
            missing.push(format!("{name}: the API routes of api.rs"));
        }
        if folder.join("pages.rs").exists() {
            let code = code_of(&std::fs::read_to_string(folder.join("pages.rs")).unwrap());
            let port = code
                .match_indices("pub struct ")
                .map(|(i, _)| {
                    code[i + 11..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .find(|s| s.ends_with("Pages"));
            if let Some(port) = port {
                let built_by = format!("{}_pages()", port.trim_end_matches("Pages").to_lowercase());
                if !register.contains(&built_by) {
                    missing.push(format!("{name}: the page port {port} ({built_by})"));
                }
            }
        }
    }
    missing
}

#[test]
fn every_capability_part_is_registered_in_capabilities_rs() {
    let missing = registrations_missing();
    assert!(
        missing.is_empty(),
        "capabilities.rs does not name:\n{}",
        missing.join("\n")
    );
}
