//! The three runtime analyses that several consumers need: ThreadLocals, class loaders and
//! open resources. `leaks` reads their findings and `hprofscan report` shows them; a run builds
//! them once ([`RuntimeReports::build`]) and hands them to both
//! ([`crate::leaks::leak_report_with`]).

use crate::dom::analysis::Analysis;

use super::classloaders::{classloader_report, ClassLoaderOptions, ClassLoaderReport};
use super::resources::{resource_report, ResourceOptions, ResourceReport};
use super::threadlocals::{threadlocal_report, ThreadLocalOptions, ThreadLocalReport};

/// The ThreadLocal, class-loader and resource reports of one analysed dump, each built once
/// with its default options.
#[derive(Clone, Debug)]
pub struct RuntimeReports {
    /// ThreadLocal values ([`threadlocal_report`]).
    pub threadlocals: ThreadLocalReport,
    /// Class loaders ([`classloader_report`]).
    pub classloaders: ClassLoaderReport,
    /// Open resources ([`resource_report`]).
    pub resources: ResourceReport,
    /// The options the resource report was built with (its findings read them).
    pub resource_options: ResourceOptions,
}

impl RuntimeReports {
    /// Builds the three reports of `a` with their default options.
    pub fn build(a: &Analysis) -> RuntimeReports {
        let resource_options = ResourceOptions::default();
        RuntimeReports {
            threadlocals: threadlocal_report(a, &ThreadLocalOptions::default()),
            classloaders: classloader_report(a, &ClassLoaderOptions::default()),
            resources: resource_report(a, &resource_options),
            resource_options,
        }
    }
}
