//! The class-loader report from what was read of each loader.

use rustc_hash::FxHashMap;

use super::model::{ClassLoaderOptions, ClassLoaderReport, ClassLoaderTotals, LoaderInfo};
use super::read::{
    classes_per_loader, context_loaders, duplicate_classes, find_loaders, holdings, kept_alive_by,
    roots_of, Names, Usage,
};
use crate::dom::analysis::Analysis;
use crate::query::find::object_id;
use crate::query::objects::node_class;
use crate::report::finding::{natural_cmp, sort_names};

/// Builds the report.
pub fn classloader_report(a: &Analysis, opts: &ClassLoaderOptions) -> ClassLoaderReport {
    let (loaders, threads, unreachable) = find_loaders(a);
    let index: FxHashMap<u32, usize> = loaders.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let (defined, bootstrap, live_of) = classes_per_loader(a, &loaders, &index);
    let names = Names::read(a, &loaders, &threads);
    let mut context_of = context_loaders(a, &threads, &index, &names);
    let parent_of: Vec<Option<u32>> = loaders.iter().map(|&v| names.parent(a, v)).collect();
    let children = children_of(&parent_of, &index);
    let roots_of = roots_of(a, loaders.len(), &index);

    let in_use = Usage {
        defined: &defined,
        live_of: &live_of,
        context_of: &context_of,
        roots_of: &roots_of,
    };
    let stale = in_use.stale(&parent_of, &index);
    let mut holdings = holdings(a, &loaders, &defined);

    let mut rows: Vec<LoaderInfo> = loaders
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let mut ctx = std::mem::take(&mut context_of[i]);
            sort_names(&mut ctx);
            let holding = holdings[i].take();
            let kept = kept_alive_by(&roots_of[i], &ctx, children[i].len(), live_of[i], &holding);
            let mut class_names: Vec<String> = defined[i]
                .iter()
                .map(|&ci| a.heap.classes.get(ci).name.clone())
                .collect();
            class_names.sort();
            class_names.truncate(opts.max_class_names);
            LoaderInfo {
                id: object_id(a, v),
                class: node_class(a, v),
                name: names.name(a, v),
                parent: parent_of[i].map(|p| object_id(a, p)),
                classes: defined[i].len() as u64,
                class_names,
                live_instances: live_of[i],
                retained_bytes: a.dom.retained.get(v),
                stale: stale[i],
                holder: holding.as_ref().map(|h| h.holder.clone()),
                holder_via: holding.as_ref().map(|h| h.via.clone()).unwrap_or_default(),
                gc_roots: roots_of[i].clone(),
                context_class_loader_of: ctx,
                children: children[i].len() as u64,
                kept_alive_by: kept,
                holder_node: holding.as_ref().map(|h| h.chain[0]),
            }
        })
        .collect();
    sort_rows(&mut rows);
    let duplicates = duplicate_classes(a, &loaders, &stale);
    ClassLoaderReport {
        schema: "hprofscan/classloaders/1",
        dump: a.heap.dump.meta(),
        totals: ClassLoaderTotals {
            loaders: loaders.len() as u64,
            stale_loaders: stale.iter().filter(|&&s| s).count() as u64,
            unreachable_loaders: unreachable,
            classes: a.heap.classes.len() as u64,
            bootstrap_classes: bootstrap,
            duplicate_class_names: duplicates.len() as u64,
        },
        loaders: rows,
        duplicate_classes: duplicates,
        warnings: a.warnings(),
    }
}

/// The children of each loader (by index), from the parents.
fn children_of(parent_of: &[Option<u32>], index: &FxHashMap<u32, usize>) -> Vec<Vec<usize>> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); parent_of.len()];
    for (i, p) in parent_of.iter().enumerate() {
        if let Some(&pi) = p.and_then(|p| index.get(&p)) {
            if pi != i {
                children[pi].push(i);
            }
        }
    }
    children
}

/// Loaders by retained bytes, then by name in natural order, then by id.
fn sort_rows(rows: &mut [LoaderInfo]) {
    rows.sort_by(|x, y| {
        y.retained_bytes
            .cmp(&x.retained_bytes)
            .then_with(|| {
                natural_cmp(
                    x.name.as_deref().unwrap_or_default(),
                    y.name.as_deref().unwrap_or_default(),
                )
            })
            .then(x.id.cmp(&y.id))
    });
}
