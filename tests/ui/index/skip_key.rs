use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_email", key = "email")
)]
struct User {
    id: String,
    #[resource(skip)]
    email: String,
}

fn main() {}
