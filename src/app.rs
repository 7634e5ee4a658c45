//! What every command receives: the global flags, the UI, the config file
//! (read once, only when needed) and a way to get an API client.

use std::cell::OnceCell;
use std::path::Path;
use std::time::Duration;

use crate::api::client::Log;
use crate::api::trust::{CaBundle, ENV_CA_CERT};
use crate::api::Client;
use crate::cli::GlobalArgs;
use crate::config::resolve::{self, Credentials, Inputs, Sourced};
use crate::config::{self, ConfigFile};
use crate::error::CliError;
use crate::output::jq::JqFilter;
use crate::output::style::ColorEnv;
use crate::output::{ColorChoice, OutputFormat, Streams, TableOptions, Ui};

pub struct App {
    pub global: GlobalArgs,
    pub ui: Ui,
    inputs: Inputs,
    config: OnceCell<Result<Option<ConfigFile>, CliError>>,
}

impl App {
    /// Settle output and colour; reads the config file only if the output
    /// format is not given by `-o` or `XEROCTL_OUTPUT`.
    pub fn new(global: GlobalArgs, streams: Streams) -> Result<App, CliError> {
        let inputs = Inputs::from_env(
            global.context.clone(),
            global.base_url.clone(),
            global.api_key.clone(),
            global.insecure_http,
        );
        let color = ColorChoice::resolve(global.color, ColorEnv::read());
        let mut app = App {
            ui: Ui::new(streams, OutputFormat::Table, color, global.verbose),
            global,
            inputs,
            config: OnceCell::new(),
        };
        app.settle_output()?;
        Ok(app)
    }

    /// `--jq` implies JSON (a default from the environment or the context
    /// is simply overridden; an explicit other `-o` is a usage error); it is
    /// compiled here, before any request. `--columns` names are checked by
    /// the list that knows its objects.
    fn settle_output(&mut self) -> Result<(), CliError> {
        if let Some(code) = self.global.jq.clone() {
            if let Some(format) = self.global.output.filter(|f| *f != OutputFormat::Json) {
                return Err(CliError::usage(format!(
                    "--jq prints JSON results; it cannot be used with -o {}",
                    format.as_str()
                ))
                .with_hint("drop -o (or use -o json) with --jq"));
            }
            self.ui.jq = Some(std::sync::Arc::new(JqFilter::compile(&code)?));
            self.ui.format = OutputFormat::Json;
        } else {
            self.ui.format = self.output_format()?;
        }
        if self.ui.format != OutputFormat::Table
            && (self.global.no_headers || self.global.columns.is_some())
        {
            let flag = if self.global.no_headers {
                "--no-headers"
            } else {
                "--columns"
            };
            return Err(CliError::usage(format!(
                "{flag} shapes tables; it cannot be used with -o {} or --jq",
                self.ui.format.as_str()
            ))
            .with_hint(
                "use --jq to pick fields from JSON, e.g. --jq '.data[] | [.id, .status] | @tsv'",
            ));
        }
        self.ui.table = TableOptions {
            no_headers: self.global.no_headers,
            columns: self.global.columns.clone(),
        };
        Ok(())
    }

    fn output_format(&self) -> Result<OutputFormat, CliError> {
        if let Some(format) = self.global.output {
            return Ok(format);
        }
        if let Some(value) = resolve::env(resolve::ENV_OUTPUT) {
            return OutputFormat::parse(&value).ok_or_else(|| {
                CliError::usage(format!(
                    "{}='{value}' is not an output format",
                    resolve::ENV_OUTPUT
                ))
                .with_hint("use table, json, yaml or name")
            });
        }
        // A broken config file is reported when credentials are needed.
        let from_context = match self.config() {
            Ok(config) => resolve::select_context(&self.inputs, config)
                .ok()
                .flatten()
                .and_then(|(_, d)| d.output),
            Err(_) => None,
        };
        Ok(from_context.unwrap_or(OutputFormat::Table))
    }

    /// The config file, read on first use (`None` when there is none).
    pub fn config(&self) -> Result<Option<&ConfigFile>, CliError> {
        let loaded = self.config.get_or_init(|| {
            let Some(path) = config::default_path() else {
                return Ok(None);
            };
            let loaded = ConfigFile::load(&path)?;
            if let Some(mode) = loaded.as_ref().and_then(|c| c.loose_permissions) {
                self.ui.warn(&format!(
                    "{} is readable by other users (mode {mode:o}); run `chmod 600 {}`",
                    path.display(),
                    path.display()
                ));
            }
            Ok(loaded)
        });
        loaded.as_ref().map(Option::as_ref).map_err(Clone::clone)
    }

    /// Base URL and key, with where each came from.
    pub fn credentials(&self) -> Result<Credentials, CliError> {
        let config = if self.inputs.needs_config() {
            self.config()?
        } else {
            None
        };
        let creds = resolve::credentials(&self.inputs, config)?;
        crate::output::redact::register(&creds.api_key.value);
        Ok(creds)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.global.request_timeout)
    }

    /// An API client for the resolved base URL and key.
    pub fn client(&self) -> Result<Client, CliError> {
        let creds = self.credentials()?;
        self.client_for(&creds)
    }

    /// An API client for `creds`, trusting the extra CA bundle if any.
    pub fn client_for(&self, creds: &Credentials) -> Result<Client, CliError> {
        let ca = self.ca_bundle(creds.context.as_ref())?;
        Client::new(
            &creds.base_url.value,
            &creds.api_key.value,
            self.request_timeout(),
            self.request_log(),
            ca.as_ref(),
        )
    }

    /// An API client for a deployment not saved yet (`config init` checks
    /// the key it was just given): no context, so only `--ca-cert` or
    /// `XEROCTL_CA_CERT` add a CA bundle.
    pub fn client_unsaved(&self, base_url: &str, api_key: &str) -> Result<Client, CliError> {
        crate::output::redact::register(api_key);
        let ca = self.ca_bundle(None)?;
        Client::new(
            base_url,
            api_key,
            self.request_timeout(),
            self.request_log(),
            ca.as_ref(),
        )
    }

    /// The extra PEM bundle: `--ca-cert` > `XEROCTL_CA_CERT` > the
    /// context's `ca_cert`; read (and checked) before any request.
    fn ca_bundle(&self, context: Option<&Sourced<String>>) -> Result<Option<CaBundle>, CliError> {
        if let Some(path) = &self.global.ca_cert {
            return CaBundle::load(path, "--ca-cert").map(Some);
        }
        if let Some(path) = resolve::env(ENV_CA_CERT) {
            return CaBundle::load(Path::new(&path), ENV_CA_CERT).map(Some);
        }
        let Some(context) = context else {
            return Ok(None);
        };
        match self.config()?.and_then(|c| c.ca_cert(&context.value)) {
            Some(path) => {
                let from = format!("ca_cert of context '{}'", context.value);
                CaBundle::load(&path, &from).map(Some)
            }
            None => Ok(None),
        }
    }

    /// The client's `-v` log: request lines on stderr, or nothing.
    pub fn request_log(&self) -> Log {
        if !self.ui.verbose {
            return Log::default();
        }
        let ui = self.ui.clone();
        Log::to(move |line| ui.trace(line))
    }

    /// Whether prompts can be shown: stdin and stderr are terminals.
    pub fn can_prompt(&self) -> bool {
        let terminal = self.ui.terminal();
        terminal.stdin && terminal.stderr
    }
}
