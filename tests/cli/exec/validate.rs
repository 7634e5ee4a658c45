//! `exec invoke --args` checked against the tool's parameter schema: one
//! GET of the tool, every violation with its path, exit 2, nothing sent.

use serde_json::{json, Value};
use wiremock::MockServer;

use super::invocation;
use crate::support::*;

fn scale_tool(parameters: Value) -> Value {
    json!({"name": "kubectl_scale", "object": "exec.tool", "risk": "write",
           "description": "Scale a deployment", "parameters": parameters})
}

fn schema() -> Value {
    json!({"type": "object", "required": ["deployment", "replicas"], "properties": {
        "deployment": {"type": "string"},
        "replicas": {"type": "integer", "minimum": 1},
        "strategy": {"enum": ["rolling", "recreate"]},
        "limits": {"type": "object", "properties": {"cpu": {"type": "number", "maximum": 64}}}
    }})
}

async fn server_with(parameters: Value, posts: u64) -> MockServer {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools/kubectl_scale")
        .respond_with(json(200, scale_tool(parameters)))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", "/exec/invocations")
        .respond_with(json(201, invocation("queued")))
        .expect(posts)
        .mount(&server)
        .await;
    server
}

fn invoke(args: &str) -> Vec<&str> {
    vec![
        "exec",
        "invoke",
        "--workspace",
        "ws_a1b2c3d4",
        "--tool",
        "kubectl_scale",
        "--args",
        args,
    ]
}

async fn refused(args: &str) -> String {
    let server = server_with(schema(), 0).await;
    let run = Env::for_server(&server).run(&invoke(args)).await;
    run.expect_code(2).assert_no_secret(&[]);
    assert_eq!(run.stdout(), "");
    run.stderr()
}

#[tokio::test]
async fn a_missing_required_parameter_is_named() {
    let err = refused(r#"{"replicas": 2}"#).await;
    assert!(err.contains("arguments.deployment: is required"), "{err}");
    assert!(
        err.contains("xeroctl exec tool-show kubectl_scale"),
        "{err}"
    );
}

#[tokio::test]
async fn a_wrong_type_is_named() {
    let err = refused(r#"{"deployment": "web", "replicas": "two"}"#).await;
    assert!(
        err.contains("arguments.replicas: must be of type integer"),
        "{err}"
    );
}

#[tokio::test]
async fn an_enum_outside_its_values_is_named() {
    let err = refused(r#"{"deployment": "web", "replicas": 2, "strategy": "blue"}"#).await;
    assert!(
        err.contains(r#"arguments.strategy: must be one of "rolling", "recreate""#),
        "{err}"
    );
}

#[tokio::test]
async fn a_minimum_is_named() {
    let err = refused(r#"{"deployment": "web", "replicas": 0}"#).await;
    assert!(err.contains("arguments.replicas: must be >= 1"), "{err}");
}

#[tokio::test]
async fn every_violation_is_listed_with_nested_paths() {
    let err = refused(r#"{"replicas": 0, "limits": {"cpu": 128}}"#).await;
    for want in [
        "arguments.deployment: is required",
        "arguments.replicas: must be >= 1",
        "arguments.limits.cpu: must be <= 64",
    ] {
        assert!(err.contains(want), "missing {want}: {err}");
    }
}

#[tokio::test]
async fn valid_arguments_are_sent_after_one_get() {
    let server = server_with(schema(), 1).await;
    let run = Env::for_server(&server)
        .run(&invoke(r#"{"deployment": "web", "replicas": 3}"#))
        .await;
    run.expect_code(0);
}

#[tokio::test]
async fn no_validate_sends_without_the_get() {
    let server = MockServer::start().await;
    expect("GET", "/exec/tools/kubectl_scale")
        .respond_with(json(200, scale_tool(schema())))
        .expect(0)
        .mount(&server)
        .await;
    expect("POST", "/exec/invocations")
        .respond_with(json(201, invocation("queued")))
        .expect(1)
        .mount(&server)
        .await;
    let mut args = invoke(r#"{"replicas": 0}"#);
    args.push("--no-validate");
    let run = Env::for_server(&server).run(&args).await;
    run.expect_code(0);
}

#[tokio::test]
async fn a_schema_that_does_not_compile_warns_and_proceeds() {
    let server = server_with(json!({"type": "nonsense"}), 1).await;
    let run = Env::for_server(&server)
        .run(&invoke(r#"{"deployment": "web"}"#))
        .await;
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains("cannot be checked") && err.contains("sending the arguments unchecked"),
        "{err}"
    );
    assert_eq!(err.matches("cannot be checked").count(), 1, "{err}");
}
