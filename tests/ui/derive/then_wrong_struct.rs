use resourceful::prelude::*;

#[derive(Attribute)]
struct Address {
    city: String,
}

#[derive(Attribute)]
struct Line {
    qty: u32,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    address: Address,
}

fn main() {
    let _ = User::ADDRESS.then(Line::QTY);
}
