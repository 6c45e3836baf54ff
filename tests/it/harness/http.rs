//! Plain listeners on real loopback sockets: an HTTP/1.1 server that
//! answers a status the test can change at any time and records every
//! request it got, and a "silent" server that accepts connections and never
//! answers, to stand in for a hung dependency.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The method, as sent.
    pub method: String,
    /// The request target (path and query).
    pub target: String,
    /// Header lines as `(lower-case name, value)`.
    pub headers: Vec<(String, String)>,
    /// The body, as sent.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of the header `name` (any case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

struct State {
    status: AtomicU16,
    delay_ms: AtomicU64,
    stop: AtomicBool,
    requests: Mutex<Vec<Recorded>>,
}

/// An HTTP server on 127.0.0.1 (or another loopback address), stopped on
/// drop.
pub struct HttpServer {
    address: SocketAddr,
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Listens on a free port of 127.0.0.1 and answers `status`.
    pub fn start(status: u16) -> HttpServer {
        HttpServer::on(
            TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0"),
            status,
        )
    }

    /// Answers `status` on an existing listener.
    pub fn on(listener: TcpListener, status: u16) -> HttpServer {
        let address = listener.local_addr().expect("local address");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let state = Arc::new(State {
            status: AtomicU16::new(status),
            delay_ms: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            requests: Mutex::new(Vec::new()),
        });
        let shared = Arc::clone(&state);
        let thread = thread::spawn(move || serve(&listener, &shared));
        HttpServer { address, state, thread: Some(thread) }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Changes the status given to the next requests.
    pub fn set_status(&self, status: u16) {
        self.state.status.store(status, Ordering::SeqCst);
    }

    /// Makes every answer wait `delay` first, like a busy application.
    pub fn set_delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).expect("a short delay");
        self.state.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts until told to stop, polling so that stopping needs no wake-up.
fn serve(listener: &TcpListener, state: &State) {
    while !state.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let delay = Duration::from_millis(state.delay_ms.load(Ordering::SeqCst));
                let status = state.status.load(Ordering::SeqCst);
                if let Some(request) = answer(stream, status, delay) {
                    state.requests.lock().unwrap().push(request);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Reads one request and answers `status` with a short body after `delay`;
/// `None` when the peer sent no complete request (a plain TCP probe, say).
fn answer(mut stream: TcpStream, status: u16, delay: Duration) -> Option<Recorded> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = read_request(&mut stream)?;
    thread::sleep(delay);
    let reply = format!(
        "HTTP/1.1 {status} Whatever\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
    );
    let _ = stream.write_all(reply.as_bytes());
    Some(request)
}

fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = stream.read(&mut chunk).ok().filter(|&n| n > 0)?;
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok().filter(|&n| n > 0)?;
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Recorded { method, target, headers, body })
}

/// A listener that accepts every connection and never sends a byte: a
/// dependency that hangs. Connections are held until the server is dropped
/// (and never longer than a minute, so a leak stops by itself).
pub struct SilentServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SilentServer {
    /// Listens on a free port of 127.0.0.1.
    pub fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(60);
            let mut held = Vec::new();
            while !flag.load(Ordering::SeqCst) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => held.push(stream),
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        SilentServer { port, stop, thread: Some(thread) }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
