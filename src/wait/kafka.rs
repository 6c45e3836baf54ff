//! `wait kafka`: a broker answers and every listed topic exists with at
//! least one partition (the `kafka_wait_for_topics.py` check).
//!
//! The wire format comes from the `kafka-protocol` crate; this module only
//! frames requests on a TCP stream. The broker is first asked which
//! Metadata versions it speaks (ApiVersions), then asked about the listed
//! topics with automatic topic creation turned off, so that waiting for a
//! topic never creates it. Brokers too old for that (before Kafka 0.11) are
//! asked for all topics instead.

use bytes::{BufMut, BytesMut};
use kafka_protocol::error::ResponseError;
use kafka_protocol::messages::{
    ApiVersionsRequest, MetadataRequest, MetadataResponse, RequestHeader, ResponseHeader,
    TopicName, metadata_request::MetadataRequestTopic,
};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use super::{Attempt, Probe, ProbeError};
use crate::net::{self, Endpoint};

/// The newest Metadata version this client encodes.
const NEWEST_METADATA: i16 = 12;
/// The first Metadata version that can refuse to create topics.
const NO_AUTO_CREATE: i16 = 4;
/// How many topic problems one line names.
const SHOWN_PROBLEMS: usize = 5;
/// A broker reply larger than this is treated as garbage, not allocated.
const MAX_FRAME: usize = 64 << 20;

/// Ready when a bootstrap broker answers and all topics exist.
pub struct KafkaProbe {
    brokers: Vec<Endpoint>,
    topics: Vec<String>,
}

impl KafkaProbe {
    /// A probe asking any of `brokers` about `topics`.
    pub fn new(brokers: Vec<Endpoint>, topics: Vec<String>) -> KafkaProbe {
        KafkaProbe { brokers, topics }
    }

    /// Asks every bootstrap broker at once and uses the first answer, so a
    /// broker that accepts connections but never replies cannot hide one
    /// that works.
    async fn check_once(&self) -> Result<(), ProbeError> {
        let mut asks = JoinSet::new();
        for broker in self.brokers.clone() {
            let topics = self.topics.clone();
            asks.spawn(async move {
                let answer = fetch_metadata(&broker, &topics).await;
                (broker, answer)
            });
        }
        let mut failures = Vec::new();
        while let Some(Ok((broker, answer))) = asks.join_next().await {
            match answer {
                Ok(metadata) => return missing_topics(&metadata, &self.topics),
                Err(reason) => failures.push(format!("{broker}: {reason}")),
            }
        }
        // Answers arrive in any order; a stable reason prints only on change.
        failures.sort();
        Err(ProbeError::NotReady(failures.join("; ")))
    }
}

impl Probe for KafkaProbe {
    fn target(&self) -> String {
        let brokers: Vec<String> = self.brokers.iter().map(|b| b.to_string()).collect();
        let mut target = format!("kafka {}", brokers.join(","));
        if !self.topics.is_empty() {
            target += &format!(" topics {}", self.topics.join(","));
        }
        target
    }

    fn check(&self) -> Attempt<'_> {
        Box::pin(self.check_once())
    }
}

/// Turns the broker's answer into ready, or the first reasons it is not.
fn missing_topics(
    metadata: &MetadataResponse,
    wanted: &[String],
) -> Result<(), ProbeError> {
    let problems: Vec<String> =
        wanted.iter().filter_map(|name| topic_problem(metadata, name)).collect();
    if problems.is_empty() {
        return Ok(());
    }
    // Thousands of missing topics would make one enormous line.
    let mut reason = problems[..problems.len().min(SHOWN_PROBLEMS)].join("; ");
    if problems.len() > SHOWN_PROBLEMS {
        reason += &format!("; and {} more", problems.len() - SHOWN_PROBLEMS);
    }
    Err(ProbeError::NotReady(reason))
}

fn topic_problem(metadata: &MetadataResponse, name: &str) -> Option<String> {
    let found = metadata
        .topics
        .iter()
        .find(|t| t.name.as_ref().is_some_and(|n| n.as_str() == name));
    let Some(topic) = found else {
        return Some(format!("unknown topic `{name}`"));
    };
    match ResponseError::try_from_code(topic.error_code) {
        None if topic.partitions.is_empty() => {
            Some(format!("topic `{name}` has no partitions"))
        }
        None => None,
        Some(ResponseError::UnknownTopicOrPartition) => {
            Some(format!("unknown topic `{name}`"))
        }
        Some(error) => Some(format!("topic `{name}`: {error}")),
    }
}

/// Connects to one broker and asks it about `topics`.
async fn fetch_metadata(
    broker: &Endpoint,
    topics: &[String],
) -> Result<MetadataResponse, String> {
    let mut stream = net::connect(broker).await?;
    let version = metadata_version(&mut stream).await?;
    let request = metadata_request(version, topics);
    call(&mut stream, 2, version, &request).await
}

/// Picks the newest Metadata version both sides speak.
async fn metadata_version(stream: &mut TcpStream) -> Result<i16, String> {
    let versions = call(stream, 1, 0, &ApiVersionsRequest::default()).await?;
    if let Some(error) = ResponseError::try_from_code(versions.error_code) {
        return Err(format!("broker refused ApiVersions: {error}"));
    }
    let metadata = versions
        .api_keys
        .iter()
        .find(|k| k.api_key == MetadataRequest::KEY)
        .ok_or("broker does not serve Metadata requests")?;
    let version = metadata.max_version.min(NEWEST_METADATA);
    if version < 1 || version < metadata.min_version {
        return Err(format!(
            "broker speaks Metadata v{}..v{}",
            metadata.min_version, version
        ));
    }
    Ok(version)
}

fn metadata_request(version: i16, topics: &[String]) -> MetadataRequest {
    if version < NO_AUTO_CREATE {
        // Naming topics here could create them on such brokers: ask for all.
        return MetadataRequest::default().with_topics(None);
    }
    let wanted = topics
        .iter()
        .map(|name| {
            let name = TopicName(StrBytes::from_string(name.clone()));
            MetadataRequestTopic::default().with_name(Some(name))
        })
        .collect();
    MetadataRequest::default()
        .with_topics(Some(wanted))
        .with_allow_auto_topic_creation(false)
}

/// Sends one request and reads its response.
async fn call<R: Request>(
    stream: &mut TcpStream,
    correlation_id: i32,
    version: i16,
    request: &R,
) -> Result<R::Response, String> {
    let frame = encode(correlation_id, version, request)?;
    stream.write_all(&frame).await.map_err(|e| net::describe(&e))?;

    let mut body = read_frame(stream).await?;
    let header = ResponseHeader::decode(&mut body, R::Response::header_version(version))
        .map_err(|e| format!("unreadable response header: {e}"))?;
    if header.correlation_id != correlation_id {
        return Err("response does not match the request (not a Kafka broker?)".into());
    }
    R::Response::decode(&mut body, version)
        .map_err(|e| format!("unreadable response: {e}"))
}

fn encode<R: Request>(
    correlation_id: i32,
    version: i16,
    request: &R,
) -> Result<BytesMut, String> {
    let header = RequestHeader::default()
        .with_request_api_key(R::KEY)
        .with_request_api_version(version)
        .with_correlation_id(correlation_id)
        .with_client_id(Some(StrBytes::from_static_str("plinth")));
    let mut frame = BytesMut::new();
    frame.put_u32(0);
    let unencodable = |e: anyhow::Error| format!("cannot encode request: {e}");
    header.encode(&mut frame, R::header_version(version)).map_err(unencodable)?;
    request.encode(&mut frame, version).map_err(unencodable)?;
    let length = u32::try_from(frame.len() - 4).expect("request smaller than 4 GiB");
    frame[..4].copy_from_slice(&length.to_be_bytes());
    Ok(frame)
}

async fn read_frame(stream: &mut TcpStream) -> Result<bytes::Bytes, String> {
    let length = stream.read_u32().await.map_err(|e| net::describe(&e))? as usize;
    if length > MAX_FRAME {
        return Err(format!(
            "reply of {length} bytes is too large (not a Kafka broker?)"
        ));
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.map_err(|e| net::describe(&e))?;
    Ok(bytes::Bytes::from(body))
}

/// What `wait kafka` and `health kafka` are asked to check.
#[derive(Debug, Clone, clap::Args)]
pub struct KafkaArgs {
    /// Bootstrap brokers, comma-separated HOST:PORT; any one that answers
    /// is enough.
    #[arg(long = "uri", value_name = "HOST:PORT,...", env = "KAFKA_URI",
          default_value = "kafka:9092", value_parser = brokers)]
    pub brokers: Brokers,

    /// Topics that must exist with at least one partition, comma-separated;
    /// empty waits for a broker only.
    #[arg(long, value_name = "TOPIC,...", env = "KAFKA_WAIT_FOR_TOPICS", default_value = "",
          value_parser = topics, hide_default_value = true)]
    pub topics: Topics,
}

/// A non-empty list of bootstrap brokers.
#[derive(Debug, Clone)]
pub struct Brokers(pub Vec<Endpoint>);

/// Topic names.
#[derive(Debug, Clone)]
pub struct Topics(pub Vec<String>);

fn brokers(text: &str) -> Result<Brokers, String> {
    let list = crate::settings::list(text);
    if list.is_empty() {
        return Err("expected at least one HOST:PORT".into());
    }
    list.iter().map(|b| Endpoint::parse(b)).collect::<Result<_, _>>().map(Brokers)
}

fn topics(text: &str) -> Result<Topics, String> {
    let list = crate::settings::list(text);
    // Kafka's own rule: 1 to 249 of [a-zA-Z0-9._-].
    let legal = |t: &String| {
        t.len() <= 249
            && t.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    };
    match list.iter().find(|t| !legal(t)) {
        Some(bad) => Err(format!("`{bad}` is not a legal Kafka topic name")),
        None => Ok(Topics(list)),
    }
}

impl KafkaArgs {
    /// The one probe these settings describe.
    pub fn probes(&self) -> Result<Vec<std::sync::Arc<dyn Probe>>, String> {
        let probe = KafkaProbe::new(self.brokers.0.clone(), self.topics.0.clone());
        Ok(vec![std::sync::Arc::new(probe)])
    }
}
