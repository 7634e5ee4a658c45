//! Seeded ids that tests, scripts and docs can rely on.

pub const AGENT_ACTIVE: &str = "agt_7Hq2";
pub const AGENT_ACTIVE_2: &str = "agt_3Lm9";
pub const AGENT_DRAINING: &str = "agt_8Zp4";
pub const AGENT_OFFLINE: &str = "agt_5Rk1";
pub const AGENT_ERROR: &str = "agt_2Wd6";
pub const AGENT_PENDING: &str = "agt_9Nc0";
pub const JOIN_KEY_ACTIVE: &str = "jk_4c1d";
pub const JOIN_KEY_ACTIVE_TOKEN: &str = "xjt_5a4e1b0c9d8f7e6a5b4c3d2e1f0a9b8c";
pub const JOIN_KEY_SINGLE_USE: &str = "jk_6f0e";
pub const JOIN_KEY_SINGLE_USE_TOKEN: &str = "xjt_0f1e2d3c4b5a69788796a5b4c3d2e1f0";
pub const JOIN_KEY_EXHAUSTED: &str = "jk_7e2a";
pub const JOIN_KEY_EXHAUSTED_TOKEN: &str = "xjt_7e2a00000000000000000000000000aa";
pub const JOIN_KEY_EXPIRED: &str = "jk_1b9f";
pub const JOIN_KEY_EXPIRED_TOKEN: &str = "xjt_1b9f00000000000000000000000000bb";
pub const JOIN_KEY_REVOKED: &str = "jk_3d8c";
pub const JOIN_KEY_REVOKED_TOKEN: &str = "xjt_3d8c00000000000000000000000000cc";
pub const WORKSPACE: &str = "ws_a1b2c3d4";
pub const WORKSPACE_2: &str = "ws_demo0001";
pub const WORKSPACE_OFFLINE: &str = "ws_offline01";
/// kubectl_get, completed, text output (a pods table).
pub const INVOCATION_COMPLETED: &str = "5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10";
pub const EXECUTION_COMPLETED: &str = "7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51";
/// support_bundle, completed, binary (non-UTF-8) output.
pub const INVOCATION_BINARY: &str = "2a6f4c8e-1d3b-4e5f-8a7c-9b0d1e2f3a4b";
pub const EXECUTION_BINARY: &str = "0b1e5c7d-2a4f-4e8b-9d3c-6f1a2b3c4d5e";
/// flaky_check, failed with exit code 1.
pub const INVOCATION_FAILED: &str = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f";
pub const EXECUTION_FAILED: &str = "3f4e5d6c-7b8a-4f9e-8d0c-1b2a3f4e5d6c";
/// kubectl_scale, completed.
pub const INVOCATION_SCALE: &str = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
pub const EXECUTION_SCALE: &str = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";
/// kubectl_drain: approved, then completed.
pub const APPROVAL_APPROVED: &str = "b2d4f6a8-0c1e-4a3b-9d5f-7e9a1c3b5d70";
pub const INVOCATION_APPROVED: &str = "d4e6f8a0-2b3c-4d5e-8f6a-7b8c9d0e1f2a";
pub const EXECUTION_APPROVED: &str = "e5f7a9b1-3c4d-4e6f-9a7b-8c9d0e1f2a3b";
/// db_drop_database: rejected.
pub const APPROVAL_REJECTED: &str = "c3e5a7b9-1d2f-4b4c-8e6a-8f0b2d4c6e81";
pub const INVOCATION_REJECTED: &str = "f6a8b0c2-4d5e-4f7a-8b9c-9d0e1f2a3b4c";
/// kubectl_drain on node-7: pending approval.
pub const APPROVAL_PENDING: &str = "a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60";
pub const INVOCATION_PENDING: &str = "c3d5e7f9-1a2b-4c3d-8e4f-6a7b8c9d0e1f";
/// openstack_server_stop: its approval was escalated (resolved, not run).
pub const APPROVAL_ESCALATED: &str = "d7f9b1c3-5e6a-4b8c-9d0e-1f2a3b4c5d6e";
pub const INVOCATION_ESCALATED: &str = "e8a0c2d4-6f7b-4c9d-8e1f-2a3b4c5d6e7f";
/// kubectl_drain: its approval timed out (resolved, not run).
pub const APPROVAL_TIMED_OUT: &str = "f9b1d3e5-7a8c-4d0e-9f2a-3b4c5d6e7f80";
pub const INVOCATION_TIMED_OUT: &str = "0a1c3e5f-8b9d-4e1f-a03b-4c5d6e7f8091";
/// kubectl_logs following web-0 in ws_a1b2c3d4: `running` until cancelled
/// (never finished by the engine; see seed/held.rs).
pub const INVOCATION_RUNNING: &str = "6b0d2f4a-7c9e-4b1d-8f3a-5c7e9b1d3f50";
pub const EXECUTION_RUNNING: &str = "1c3e5a7b-9d0f-4a2c-b4e6-8f0a2c4e6a81";
/// `agt_3Lm9` has tool execution paused in `ws_demo0001` (only there).
pub const AGENT_EXEC_PAUSED: &str = AGENT_ACTIVE_2;
pub const AGENT_EXEC_PAUSED_WORKSPACE: &str = WORKSPACE_2;
/// Agent candidates: two pending, one approved (agent `agt_2Wd6`), one rejected.
pub const CANDIDATE_PENDING: &str = "cand_3b9e";
pub const CANDIDATE_PENDING_2: &str = "cand_8d21";
pub const CANDIDATE_APPROVED: &str = "cand_1f6c";
pub const CANDIDATE_REJECTED: &str = "cand_6a0d";
/// Learnings, oldest first: tool and chat in `ws_a1b2c3d4`, operator and tool
/// in `ws_demo0001`, chat with no workspace.
pub const LEARNING_TOOL: &str = "lrn_5a7e01";
pub const LEARNING_CHAT: &str = "lrn_5a7e02";
pub const LEARNING_OPERATOR: &str = "lrn_5a7e03";
pub const LEARNING_TOOL_2: &str = "lrn_5a7e04";
pub const LEARNING_NO_WORKSPACE: &str = "lrn_5a7e05";
/// The workspace with a context document (the others have none).
pub const WORKSPACE_WITH_CONTEXT: &str = WORKSPACE;
