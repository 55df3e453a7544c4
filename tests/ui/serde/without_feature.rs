use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(serde)]
    settings: Vec<(String, u32)>,
}

#[derive(Attribute)]
struct Profile {
    #[resource(serde, default)]
    links: Vec<(String, String)>,
}

fn main() {}
