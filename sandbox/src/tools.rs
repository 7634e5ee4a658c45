//! The tool catalogue: descriptors with real JSON Schemas, and what running
//! each tool does in the sandbox (outcome, duration in ticks, raw output).

use bytes::Bytes;
use serde::Serialize;
use serde_json::{json, Value};

use crate::table::{Keyed, Table};

/// How a run of the tool ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    Failed,
    Timeout,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub object: &'static str,
    pub description: &'static str,
    pub risk: &'static str,
    pub domain: &'static str,
    pub timeout_ms: u64,
    pub parameters: Value,
    #[serde(skip)]
    pub outcome: Outcome,
    /// Ticks spent `running` before the terminal status.
    #[serde(skip)]
    pub run_ticks: u32,
}

impl Keyed for Tool {
    fn key(&self) -> &str {
        self.name
    }
}

impl Tool {
    pub fn needs_approval(&self) -> bool {
        matches!(self.risk, "destructive" | "irreversible")
    }
}

#[allow(clippy::too_many_arguments)]
fn tool(
    name: &'static str,
    risk: &'static str,
    domain: &'static str,
    timeout_ms: u64,
    description: &'static str,
    parameters: Value,
    outcome: Outcome,
    run_ticks: u32,
) -> Tool {
    Tool {
        name,
        object: "exec.tool",
        description,
        risk,
        domain,
        timeout_ms,
        parameters,
        outcome,
        run_ticks,
    }
}

/// The catalogue, in list order.
pub fn catalogue() -> Table<Tool> {
    let mut t = Table::default();
    t.insert(tool("kubectl_get", "read", "kubernetes", 30_000,
        "List or get Kubernetes resources in a namespace (read-only).",
        json!({"type": "object", "properties": {
            "resource": {"type": "string", "description": "Resource kind, e.g. pods, deployments, nodes"},
            "namespace": {"type": "string", "description": "Namespace to query", "default": "default"},
            "name": {"type": "string", "description": "A single resource name (optional)"},
            "labels": {"type": "object", "description": "Label selector as key/value pairs",
                "properties": {
                    "app": {"type": "string", "description": "app label"},
                    "tier": {"type": "string", "description": "tier label", "enum": ["frontend", "backend", "data"]}
                }},
            "output": {"type": "string", "description": "Output format", "enum": ["table", "wide", "json"], "default": "table"}
        }, "required": ["resource"]}),
        Outcome::Completed, 1));
    t.insert(tool("kubectl_logs", "read", "kubernetes", 30_000,
        "Fetch the logs of a pod's container (read-only).",
        json!({"type": "object", "properties": {
            "pod": {"type": "string", "description": "Pod name"},
            "namespace": {"type": "string", "description": "Namespace", "default": "default"},
            "container": {"type": "string", "description": "Container name (default: the first)"},
            "tail_lines": {"type": "integer", "description": "Number of lines from the end", "minimum": 1, "default": 100},
            "previous": {"type": "boolean", "description": "Logs of the previous instance", "default": false}
        }, "required": ["pod"]}),
        Outcome::Completed, 1));
    t.insert(tool(
        "kubectl_scale",
        "write",
        "kubernetes",
        60_000,
        "Scale a deployment or statefulset to a number of replicas.",
        json!({"type": "object", "properties": {
            "resource": {"type": "string", "description": "Target, e.g. deployment/web"},
            "replicas": {"type": "integer", "description": "Desired replica count", "minimum": 0},
            "namespace": {"type": "string", "description": "Namespace", "default": "default"}
        }, "required": ["resource", "replicas"]}),
        Outcome::Completed,
        1,
    ));
    t.insert(tool("kubectl_drain", "destructive", "kubernetes", 120_000,
        "Cordon a node and evict its pods (needs approval).",
        json!({"type": "object", "properties": {
            "node": {"type": "string", "description": "Node name"},
            "grace_period_seconds": {"type": "integer", "description": "Pod termination grace period", "minimum": 0, "default": 30},
            "ignore_daemonsets": {"type": "boolean", "description": "Skip DaemonSet-managed pods", "default": true},
            "force": {"type": "boolean", "description": "Evict unmanaged pods too", "default": false}
        }, "required": ["node"]}),
        Outcome::Completed, 2));
    t.insert(tool(
        "openstack_server_stop",
        "destructive",
        "openstack",
        60_000,
        "Stop (power off) an OpenStack server (needs approval).",
        json!({"type": "object", "properties": {
            "server": {"type": "string", "description": "Server name or UUID"},
            "project": {"type": "string", "description": "OpenStack project"},
            "reason": {"type": "string", "description": "Why it is being stopped"}
        }, "required": ["server"]}),
        Outcome::Completed,
        1,
    ));
    t.insert(tool("db_drop_database", "irreversible", "database", 300_000,
        "Drop a database and all its data. Cannot be undone (needs approval).",
        json!({"type": "object", "properties": {
            "database": {"type": "string", "description": "Database name"},
            "cluster": {"type": "string", "description": "Cluster name", "default": "primary"},
            "engine": {"type": "string", "description": "Database engine", "enum": ["postgres", "mysql"], "default": "postgres"}
        }, "required": ["database"]}),
        Outcome::Completed, 1));
    t.insert(tool("flaky_check", "read", "diagnostics", 10_000,
        "A health check that always fails in the sandbox (exit code 1).",
        json!({"type": "object", "properties": {
            "target": {"type": "string", "description": "Service to check", "default": "api"},
            "attempts": {"type": "integer", "description": "Attempts before giving up", "minimum": 1, "default": 3}
        }, "required": []}),
        Outcome::Failed, 1));
    t.insert(tool("slow_probe", "read", "network", 5_000,
        "A TCP probe that never answers in the sandbox: it ends in timeout.",
        json!({"type": "object", "properties": {
            "host": {"type": "string", "description": "Host to probe"},
            "port": {"type": "integer", "description": "TCP port", "minimum": 1, "maximum": 65535, "default": 443}
        }, "required": ["host"]}),
        Outcome::Timeout, 5));
    t.insert(tool("support_bundle", "read", "diagnostics", 60_000,
        "Collect a gzip-compressed support bundle from a node (binary output).",
        json!({"type": "object", "properties": {
            "node": {"type": "string", "description": "Node name"},
            "include_logs": {"type": "boolean", "description": "Include system logs", "default": true},
            "since_hours": {"type": "number", "description": "How far back to collect", "minimum": 0, "default": 24},
            "sections": {"type": "array", "description": "Sections to include", "items": {"type": "string"}}
        }, "required": ["node"]}),
        Outcome::Completed, 1));
    t
}

fn arg<'a>(args: &'a Value, key: &str, default: &'a str) -> &'a str {
    args.get(key).and_then(Value::as_str).unwrap_or(default)
}

/// The raw output of a run of `tool` with `args`.
pub fn output(tool: &str, args: &Value, seed: u64) -> Bytes {
    let mut rng = fastrand::Rng::with_seed(seed);
    let ns = arg(args, "namespace", "default");
    let text = match tool {
        "kubectl_get" => {
            let resource = arg(args, "resource", "pods");
            let mut s = String::from("NAME                          READY   STATUS    RESTARTS   AGE\n");
            for (i, app) in ["web", "web", "api", "worker", "redis"].iter().enumerate() {
                let name = format!("{app}-{:08x}-{:05x}", rng.u32(..), rng.u32(..0xfffff));
                s.push_str(&format!(
                    "{name:<30}1/1     Running   {:<11}{}d\n",
                    i % 3,
                    rng.u32(1..40)
                ));
            }
            if resource != "pods" {
                s = format!("# {resource} in namespace {ns}\n{s}");
            }
            s
        }
        "kubectl_logs" => {
            let pod = arg(args, "pod", "web-0");
            (0..12)
                .map(|i| {
                    format!(
                        "2026-11-23T06:50:{:02}Z INFO {pod} request handled path=/v1/items status=200 latency_ms={}\n",
                        i * 4,
                        rng.u32(2..90)
                    )
                })
                .collect()
        }
        "kubectl_scale" => format!(
            "{} scaled to {} replicas in namespace {ns}\n",
            arg(args, "resource", "deployment/web"),
            args.get("replicas").and_then(Value::as_i64).unwrap_or(1)
        ),
        "kubectl_drain" => {
            let node = arg(args, "node", "node-1");
            format!(
                "node/{node} cordoned\nevicting pod {ns}/web-5d9c7b-x2k4p\nevicting pod {ns}/api-7f8d9c-q9w8e\npod/web-5d9c7b-x2k4p evicted\npod/api-7f8d9c-q9w8e evicted\nnode/{node} drained\n"
            )
        }
        "openstack_server_stop" => format!(
            "Request to stop server {} has been accepted.\nServer status: SHUTOFF\n",
            arg(args, "server", "vm-1")
        ),
        "db_drop_database" => format!(
            "DROP DATABASE {};\nDROP DATABASE\n",
            arg(args, "database", "scratch")
        ),
        "flaky_check" => format!(
            "check {} attempt 1/3: ok (12 ms)\ncheck attempt 2/3: FAILED: connection refused\nerror: health check failed\n",
            arg(args, "target", "api")
        ),
        "slow_probe" => format!(
            "probing {}:{} ...\nno answer, still waiting\n",
            arg(args, "host", "example.internal"),
            args.get("port").and_then(Value::as_i64).unwrap_or(443)
        ),
        "support_bundle" => return Bytes::from(binary_bundle(arg(args, "node", "node-3"), &mut rng)),
        other => format!("{other}: ok\n"),
    };
    Bytes::from(text.into_bytes())
}

/// A gzip-compressed support bundle (a text report), so that
/// `exec raw <id> | gunzip` works as documented; binary (not UTF-8) as it
/// reaches the client.
fn binary_bundle(node: &str, rng: &mut fastrand::Rng) -> Vec<u8> {
    use std::io::Write;
    let mut report = format!("support bundle: {node}\n\n== uptime ==\n");
    report.push_str(&format!(
        " 06:50:00 up {} days, load average: 0.{:02}, 0.{:02}, 0.{:02}\n\n== dmesg (last 8) ==\n",
        rng.u32(3..90),
        rng.u8(..100),
        rng.u8(..100),
        rng.u8(..100)
    ));
    for i in 0..8 {
        report.push_str(&format!(
            "[{:>7}.{:06}] nvidia-nvswitch{}: link {} up\n",
            rng.u32(1000..900_000),
            rng.u32(..1_000_000),
            i % 4,
            rng.u8(..18)
        ));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(report.as_bytes()).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_all_risks() {
        let t = catalogue();
        for risk in ["read", "write", "destructive", "irreversible"] {
            assert!(t.iter().any(|x| x.risk == risk), "{risk}");
        }
        for tool in t.iter() {
            assert_eq!(tool.parameters["type"], "object");
            assert!(tool.parameters["required"].is_array());
        }
    }

    #[test]
    fn bundle_is_not_utf8() {
        let out = output("support_bundle", &json!({}), 1);
        assert!(std::str::from_utf8(&out).is_err());
        assert_eq!(&out[..4], &[0x1f, 0x8b, 0x08, 0x00]);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&out[..]), &mut text)
            .expect("a gzip stream");
        assert!(text.starts_with("support bundle: node-3\n"), "{text}");
        let text = output("kubectl_get", &json!({"resource": "pods"}), 1);
        assert!(std::str::from_utf8(&text).unwrap().starts_with("NAME"));
    }
}
