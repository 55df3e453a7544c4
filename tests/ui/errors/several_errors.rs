use resourceful::prelude::*;

#[resource(service = "dynamo", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(rename = "mail", skip_if = "empty")]
    email: String,
    #[resource(rename = "mail")]
    backup_email: String,
}

fn main() {}
