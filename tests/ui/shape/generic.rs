use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User<T> {
    id: String,
    profile: T,
}

fn main() {}
