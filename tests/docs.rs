//! docs/ as a build artefact: this test renders the Terraform registry layout
//! from the schema descriptions and `examples/` and fails when the committed
//! docs differ. `UPDATE_DOCS=1 cargo test --test docs` writes them instead.
//! It lives in the main crate's tests (not an xtask) so that it reuses the
//! test build instead of compiling the AWS SDK a second time with other
//! features.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lambdawire::plugin::schema::{
    Attribute, Block, Constraint, FunctionSchema, NestedBlock, Schema, Type,
};

use lambdawire::shared::Shared;

#[test]
fn docs_match_the_schema_and_examples() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pages = render_all(&root);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let _ = std::fs::remove_dir_all(root.join("docs"));
        for (path, text) in &pages {
            let target = root.join(path);
            std::fs::create_dir_all(target.parent().expect("page has a folder"))
                .expect("create docs folder");
            std::fs::write(&target, text).expect("write page");
        }
        return;
    }
    let stale: Vec<String> = pages
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect();
    let extra: Vec<String> = existing_pages(&root)
        .into_iter()
        .filter(|p| !pages.contains_key(p))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/ is out of date: run `UPDATE_DOCS=1 cargo test --test docs` and commit.\nstale: {stale:?}\nnot generated: {extra:?}"
    );
}

fn existing_pages(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.join("docs")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                found.push(relative.display().to_string());
            }
        }
    }
    found
}

/// Every page, keyed by its path relative to the repository root.
fn render_all(root: &Path) -> BTreeMap<String, String> {
    let shared = Arc::new(Shared::default());
    let mut pages = BTreeMap::new();
    let provider = lambdawire::provider::schema::provider_schema();
    pages.insert("docs/index.md".to_string(), index_page(root, &provider));
    for resource in lambdawire::resources::all(&shared) {
        let name = resource.type_name();
        let full = format!("lambdawire_{name}");
        let page = type_page(root, &full, "Resource", "resources", &resource.schema());
        pages.insert(format!("docs/resources/{name}.md"), page);
    }
    for source in lambdawire::data_sources::all(&shared) {
        let name = source.type_name();
        let full = format!("lambdawire_{name}");
        let page = type_page(root, &full, "Data Source", "data-sources", &source.schema());
        pages.insert(format!("docs/data-sources/{name}.md"), page);
    }
    for function in lambdawire::functions::all() {
        let name = function.name();
        pages.insert(
            format!("docs/functions/{name}.md"),
            function_page(root, name, &function.schema()),
        );
    }
    pages
}

fn read_example(root: &Path, relative: &str) -> Option<String> {
    std::fs::read_to_string(root.join(relative))
        .ok()
        .map(|t| t.trim_end().to_string())
}

fn front_matter(title: &str, description: &str) -> String {
    let first = description.lines().next().unwrap_or_default();
    format!("---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n  {first}\n---\n\n")
}

fn index_page(root: &Path, schema: &Schema) -> String {
    let mut out = front_matter("lambdawire Provider", &schema.block.description);
    out.push_str("# lambdawire Provider\n\n");
    out.push_str(&schema.block.description);
    out.push_str("\n\n");
    if let Some(example) = read_example(root, "examples/provider/provider.tf") {
        out.push_str(&format!(
            "## Example Usage\n\n```terraform\n{example}\n```\n\n"
        ));
    }
    out.push_str(&schema_section(&schema.block));
    out
}

fn type_page(root: &Path, full: &str, kind: &str, folder: &str, schema: &Schema) -> String {
    let mut out = front_matter(
        &format!("{full} {kind} - lambdawire"),
        &schema.block.description,
    );
    out.push_str(&format!(
        "# {full} ({kind})\n\n{}\n\n",
        schema.block.description
    ));
    let example_dir = format!("examples/{folder}/{full}");
    if let Some(example) = read_example(
        root,
        &format!(
            "{example_dir}/{}.tf",
            if kind == "Resource" {
                "resource"
            } else {
                "data-source"
            }
        ),
    ) {
        out.push_str(&format!(
            "## Example Usage\n\n```terraform\n{example}\n```\n\n"
        ));
    }
    // Not part of the scaffolding layout: a resource that another account
    // uses shows that account's code (`caller.py`) next to the configuration.
    if let Some(caller) = read_example(root, &format!("{example_dir}/caller.py")) {
        out.push_str(&format!(
            "## The caller's side\n\n```python\n{caller}\n```\n\n"
        ));
    }
    out.push_str(&schema_section(&schema.block));
    if let Some(import) = read_example(root, &format!("{example_dir}/import.sh")) {
        out.push_str(&format!("## Import\n\nImport is supported using the following syntax:\n\n```shell\n{import}\n```\n"));
    }
    // Not part of the scaffolding layout: a resource that accepts `moved`
    // from hashicorp/aws shows how, next to import, its other way in.
    if let Some(moved) = read_example(root, &format!("{example_dir}/moved.tf")) {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&format!(
            "## Moving from hashicorp/aws\n\n```terraform\n{moved}\n```\n"
        ));
    }
    out
}

fn function_page(root: &Path, name: &str, schema: &FunctionSchema) -> String {
    let mut out = front_matter(&format!("{name} function - lambdawire"), &schema.summary);
    out.push_str(&format!("# function: {name}\n\n{}\n\n", schema.description));
    if let Some(example) = read_example(root, &format!("examples/functions/{name}/function.tf")) {
        out.push_str(&format!(
            "## Example Usage\n\n```terraform\n{example}\n```\n\n"
        ));
    }
    let params: Vec<String> = schema.parameters.iter().map(|p| p.name.clone()).collect();
    out.push_str(&format!(
        "## Signature\n\n```text\n{name}({}) string\n```\n\n## Arguments\n\n",
        params.join(", ")
    ));
    for (i, p) in schema.parameters.iter().enumerate() {
        out.push_str(&format!(
            "{}. `{}` (String) {}\n",
            i + 1,
            p.name,
            p.description
        ));
    }
    out
}

fn type_name(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::List(inner) => format!("List of {}", type_name(inner)),
        Type::Set(inner) => format!("Set of {}", type_name(inner)),
        Type::Map(inner) => format!("Map of {}", type_name(inner)),
        Type::Object(_) => "Object".into(),
        Type::Dynamic => "Dynamic".into(),
    }
}

fn attribute_line(name: &str, a: &Attribute) -> String {
    let sensitive = match (a.write_only, a.sensitive) {
        (true, _) => ", Sensitive, Write-only",
        (false, true) => ", Sensitive",
        (false, false) => "",
    };
    format!(
        "- `{name}` ({}{sensitive}) {}\n",
        type_name(&a.attr_type),
        a.description
    )
}

/// Required / Optional / Read-Only attributes, then one section per block.
fn schema_section(block: &Block) -> String {
    let mut out = String::from("## Schema\n\n");
    out.push_str(&block_body(block, ""));
    let mut nested: Vec<&(String, NestedBlock)> = block.blocks.iter().collect();
    nested.sort_by_key(|(name, _)| name.as_str());
    for (name, nb) in nested {
        let inner = &nb.body;
        out.push_str(&format!(
            "<a id=\"nestedblock--{name}\"></a>\n### Nested Schema for `{name}`\n\n"
        ));
        out.push_str(&format!("{}\n\n", inner.description));
        out.push_str(&block_body(inner, "####"));
    }
    out
}

fn block_body(block: &Block, heading: &str) -> String {
    let heading = if heading.is_empty() { "###" } else { heading };
    let mut attributes: Vec<&(String, Attribute)> = block.attributes.iter().collect();
    attributes.sort_by_key(|(name, _)| name.as_str());
    let groups = [
        ("Required", Constraint::Required),
        ("Optional", Constraint::Optional),
        ("Read-Only", Constraint::Computed),
    ];
    let mut out = String::new();
    for (title, constraint) in groups {
        let mut lines = String::new();
        for (name, a) in &attributes {
            let group = match a.constraint {
                Constraint::OptionalComputed => Constraint::Optional,
                c => c,
            };
            if group == constraint {
                lines.push_str(&attribute_line(name, a));
            }
        }
        if title == "Optional" {
            let mut blocks: Vec<&(String, NestedBlock)> = block.blocks.iter().collect();
            blocks.sort_by_key(|(name, _)| name.as_str());
            for (name, nb) in blocks {
                let max = if nb.max_items == 1 { ", Max: 1" } else { "" };
                lines.push_str(&format!("- `{name}` (Block List{max}) {} (see [below for nested schema](#nestedblock--{name}))\n", nb.body.description));
            }
        }
        if !lines.is_empty() {
            out.push_str(&format!("{heading} {title}\n\n{lines}\n"));
        }
    }
    out
}
