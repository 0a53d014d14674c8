//! The JDK's wrappers around application objects: a scheduled task's `ScheduledFutureTask`, a
//! registered MBean's `NamedObject`, a notification listener's `ListenerInfo`. What a
//! collection holds is judged by the application object inside.

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::jdk::is_jdk_class;

/// Scheduled and future tasks wrap the application's runnable, and the MBean server wraps each
/// registered MBean: follow the JDK wrappers (`ScheduledFutureTask` -> `callable`
/// `Executors$RunnableAdapter` -> `task`; `NamedObject` -> `object` `StandardMBeanSupport` ->
/// `resource`) to it.
pub(crate) fn unwrap_task(a: &Analysis, mut v: u32) -> u32 {
    let class_name = |w: u32| {
        let k = a.graph.class_of(w);
        (k != NONE).then(|| a.heap.classes.get(k).name.as_str())
    };
    for _ in 0..3 {
        if !class_name(v).is_some_and(is_wrapper) {
            return v;
        }
        let next = a
            .graph
            .refs(v)
            .iter()
            .copied()
            .filter(|&w| w != v)
            .find(|&w| class_name(w).is_some_and(|n| !is_jdk_class(n) || is_inner_wrapper(n)));
        match next {
            Some(w) => v = w,
            None => return v,
        }
    }
    v
}

/// A JDK class that wraps an application object (a task, an MBean, a notification listener).
fn is_wrapper(name: &str) -> bool {
    name.ends_with("FutureTask")
        || name == "com.sun.jmx.mbeanserver.NamedObject"
        || LISTENER_INFOS.contains(&name)
        || is_inner_wrapper(name)
}

/// The records in which a JMX notification emitter keeps each listener with its filter and
/// handback.
const LISTENER_INFOS: [&str; 3] = [
    "sun.management.NotificationEmitterSupport$ListenerInfo",
    "javax.management.NotificationBroadcasterSupport$ListenerInfo",
    "javax.management.NotificationBroadcasterSupport$WildcardListenerInfo",
];

/// A wrapper that another wrapper holds on the way to the application object.
fn is_inner_wrapper(name: &str) -> bool {
    name == "java.util.concurrent.Executors$RunnableAdapter"
        || name == "com.sun.jmx.mbeanserver.StandardMBeanSupport"
        || name == "com.sun.jmx.mbeanserver.MXBeanSupport"
}
