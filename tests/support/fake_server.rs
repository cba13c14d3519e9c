//! A small in-process HTTP server for what the API mocks cannot show: server state that changes
//! between calls (a run that goes from running to succeeded), a watch stream, errors (401, 404,
//! 500), and a server that does not answer. Each route answers from a script of responses; the
//! last one repeats. Every request is recorded for the test to inspect.
//!
//! Use: `#[path = "support/fake_server.rs"] mod fake_server;`.

#![allow(dead_code, missing_docs, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status and a JSON body.
    Json(u16, String),
    /// 200 with these lines sent one by one (a watch stream), `pause` apart, then the connection closes.
    Stream(Vec<String>, Duration),
    /// No answer for this long (to test timeouts), then the connection closes.
    Hang(Duration),
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

struct Route {
    method: String,
    prefix: String,
    replies: Vec<Reply>,
    served: usize,
}

/// A running fake server; it stops when dropped (its thread ends with the test process).
pub struct FakeServer {
    pub url: String,
    routes: Arc<Mutex<Vec<Route>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeServer {
    pub fn start() -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let routes: Arc<Mutex<Vec<Route>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (routes.clone(), seen.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, s) = (r.clone(), s.clone());
                std::thread::spawn(move || serve(stream, &r, &s));
            }
        });
        FakeServer { url, routes, seen }
    }

    /// Answers `method` requests whose path (with query) starts with `prefix` with `replies`, in
    /// order; the last repeats. Later routes win over earlier ones with the same prefix.
    pub fn route(&self, method: &str, prefix: &str, replies: Vec<Reply>) -> &Self {
        self.routes
            .lock()
            .unwrap()
            .insert(0, Route { method: method.to_owned(), prefix: prefix.to_owned(), replies, served: 0 });
        self
    }

    /// A route with one JSON answer.
    pub fn json(&self, method: &str, prefix: &str, status: u16, body: serde_json::Value) -> &Self {
        self.route(method, prefix, vec![Reply::Json(status, body.to_string())])
    }

    /// The requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, routes: &Mutex<Vec<Route>>, seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        seen.lock().unwrap().push(Seen {
            method: method.clone(),
            path: path.clone(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let reply = {
            let mut routes = routes.lock().unwrap();
            match routes.iter_mut().find(|r| r.method == method && path.starts_with(&r.prefix)) {
                Some(route) => {
                    let i = route.served.min(route.replies.len() - 1);
                    route.served += 1;
                    route.replies[i].clone()
                }
                None => Reply::Json(404, r#"{"code":5,"message":"no route in the fake server"}"#.to_owned()),
            }
        };
        match reply {
            Reply::Json(status, body) => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes())).is_err() {
                    return;
                }
            }
            Reply::Stream(lines, pause) => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for l in lines {
                    std::thread::sleep(pause);
                    if stream.write_all(format!("{l}\n").as_bytes()).and_then(|()| stream.flush()).is_err() {
                        return;
                    }
                }
                return;
            }
            Reply::Hang(d) => {
                std::thread::sleep(d);
                return;
            }
        }
    }
}
