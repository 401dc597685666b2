//! An SMTP server for tests: it accepts mail on a free local port and keeps every message it
//! accepted (envelope and raw data), so a test can see exactly what the service sent and how many
//! times. It speaks enough SMTP for lettre (EHLO/HELO, MAIL FROM, RCPT TO, DATA with
//! dot-stuffing, RSET, NOOP, QUIT), and can be told to refuse messages (`451` to `DATA`) or to
//! answer slowly, to test retries and shutdown.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One message the sink accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope sender (`MAIL FROM`).
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`).
    pub rcpt_to: Vec<String>,
    /// The message as transmitted (after removing dot-stuffing), lines ending in CRLF.
    pub data: String,
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    refuse: AtomicBool,
    refused: AtomicUsize,
    data_started: AtomicUsize,
    delay_ms: AtomicU64,
}

/// A running sink; stops when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Dropping the accept task drops its JoinSet, which aborts every connection.
        self.task.abort();
    }
}

impl SmtpSink {
    /// Starts a sink on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let addr = listener.local_addr().expect("sink address");
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        if let Ok((stream, _)) = accepted {
                            connections.spawn(session(stream, s.clone()));
                        }
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Self { addr, shared, task }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// While on, every `DATA` is answered `451` (a temporary failure).
    pub fn refuse(&self, on: bool) {
        self.shared.refuse.store(on, Ordering::SeqCst);
    }

    /// How many `DATA` commands were refused.
    pub fn refused(&self) -> usize {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// How many messages began to be transmitted (accepted or not).
    pub fn data_started(&self) -> usize {
        self.shared.data_started.load(Ordering::SeqCst)
    }

    /// Waits this long before accepting each message.
    pub fn set_delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap();
        self.shared.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Waits until at least `n` messages have arrived, and returns all of them; fails the test
    /// after `timeout`.
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited {timeout:?} for {n} messages; the sink has {}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until `cond` holds for the sink; fails the test after `timeout`.
    pub async fn wait_until(&self, what: &str, timeout: Duration, cond: impl Fn(&Self) -> bool) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !cond(self) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited {timeout:?} for {what}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn reply(w: &mut (impl AsyncWriteExt + Unpin), text: &str) -> std::io::Result<()> {
    w.write_all(text.as_bytes()).await?;
    w.write_all(b"\r\n").await?;
    w.flush().await
}

/// The address inside `FROM:<a@b>` / `TO:<a@b>` (parameters after it ignored).
fn path_of(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(start), Some(end)) if start < end => arg[start + 1..end].to_owned(),
        _ => arg.split_whitespace().next().unwrap_or_default().to_owned(),
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    reply(&mut write, "220 sink.test ESMTP test sink").await?;
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = text.split_once([' ', ':']).unwrap_or((text, ""));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => reply(&mut write, "250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8").await?,
            "HELO" => reply(&mut write, "250 sink.test").await?,
            "MAIL" => {
                mail_from = Some(path_of(arg));
                rcpt_to.clear();
                reply(&mut write, "250 2.1.0 OK").await?;
            }
            "RCPT" if mail_from.is_some() => {
                rcpt_to.push(path_of(arg));
                reply(&mut write, "250 2.1.5 OK").await?;
            }
            "DATA" if mail_from.is_some() && !rcpt_to.is_empty() => {
                shared.data_started.fetch_add(1, Ordering::SeqCst);
                if shared.refuse.load(Ordering::SeqCst) {
                    shared.refused.fetch_add(1, Ordering::SeqCst);
                    mail_from = None;
                    rcpt_to.clear();
                    reply(
                        &mut write,
                        "451 4.3.0 sink refuses for now; try again later",
                    )
                    .await?;
                    continue;
                }
                reply(&mut write, "354 end data with <CR><LF>.<CR><LF>").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if read.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    let l = String::from_utf8_lossy(&line);
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    // Dot-stuffing: a line beginning with '.' was sent with one more.
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                let delay = shared.delay_ms.load(Ordering::SeqCst);
                if delay > 0 {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                }
                let n = {
                    let mut messages = shared.messages.lock().unwrap();
                    messages.push(Received {
                        mail_from: mail_from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpt_to),
                        data,
                    });
                    messages.len()
                };
                reply(&mut write, &format!("250 2.0.0 OK queued as {n}")).await?;
            }
            "RCPT" | "DATA" => reply(&mut write, "503 5.5.1 bad sequence of commands").await?,
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                reply(&mut write, "250 2.0.0 OK").await?;
            }
            "NOOP" => reply(&mut write, "250 2.0.0 OK").await?,
            "QUIT" => {
                reply(&mut write, "221 2.0.0 bye").await?;
                return Ok(());
            }
            _ => reply(&mut write, "502 5.5.2 command not implemented").await?,
        }
    }
}

/// A MIME part: its headers (names lower-cased) and its decoded body.
#[derive(Debug, Clone)]
pub struct Part {
    pub headers: HashMap<String, String>,
    pub body: String,
}

/// Splits a message into its (unfolded) headers and its body.
fn split_message(raw: &str) -> (HashMap<String, String>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: HashMap<String, String> = HashMap::new();
    let mut last: Option<String> = None;
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(name) = &last {
                let v = headers.get_mut(name).unwrap();
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            headers.insert(name.clone(), value.trim().to_owned());
            last = Some(name);
        }
    }
    (headers, body.to_owned())
}

fn decode(encoding: Option<&String>, body: &str) -> String {
    match encoding.map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("base64") => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(STANDARD.decode(compact).unwrap()).unwrap()
        }
        Some("quoted-printable") => {
            let joined = body.replace("=\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        }
        _ => body.to_owned(),
    }
}

impl Received {
    /// A top-level header, unfolded (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        split_message(&self.data)
            .0
            .get(&name.to_ascii_lowercase())
            .cloned()
    }

    /// The parts of a multipart message, decoded.
    pub fn parts(&self) -> Vec<Part> {
        let (headers, body) = split_message(&self.data);
        let content_type = headers.get("content-type").cloned().unwrap_or_default();
        let boundary = content_type
            .split(';')
            .find_map(|p| p.trim().strip_prefix("boundary="))
            .map(|b| b.trim_matches('"').to_owned())
            .unwrap_or_else(|| panic!("not multipart: {content_type}"));
        let delimiter = format!("--{boundary}");
        body.split(&delimiter)
            .skip(1)
            .filter(|chunk| !chunk.starts_with("--"))
            .map(|chunk| {
                let (headers, body) = split_message(chunk.trim_start_matches('\n'));
                let body = decode(headers.get("content-transfer-encoding"), &body);
                Part { headers, body }
            })
            .collect()
    }

    /// The decoded body of the part of this content type (`text/plain`, `text/html`).
    pub fn part(&self, content_type: &str) -> String {
        self.parts()
            .into_iter()
            .find(|p| {
                p.headers
                    .get("content-type")
                    .is_some_and(|t| t.starts_with(content_type))
            })
            .unwrap_or_else(|| panic!("no {content_type} part in:\n{}", self.data))
            .body
    }
}
