//! `list` and `ls` after `agents` and `agents join-keys` name the list,
//! never an id: the same output as the bare command.

use xeroctl_sandbox::ids;

use crate::sandbox_e2e::{env_for, start};

#[tokio::test(flavor = "multi_thread")]
async fn agents_and_join_keys_take_list_and_ls() {
    let sandbox = start(0).await;
    let env = env_for(&sandbox);
    for (bare, id) in [
        (&["agents"][..], ids::AGENT_ACTIVE),
        (&["agents", "join-keys"][..], ids::JOIN_KEY_ACTIVE),
    ] {
        // JSON: no relative times that could tick between the runs.
        let json: Vec<&str> = bare.iter().copied().chain(["-o", "json"]).collect();
        let plain = env.run(&json).await;
        plain.expect_code(0);
        assert!(plain.stdout().contains(id), "{}", plain.stdout());
        for word in ["list", "ls"] {
            let args: Vec<&str> = bare.iter().copied().chain([word, "-o", "json"]).collect();
            let run = env.run(&args).await;
            run.expect_code(0);
            assert_eq!(run.stdout(), plain.stdout(), "{args:?}");
        }
    }
    sandbox.shutdown().await;
}
