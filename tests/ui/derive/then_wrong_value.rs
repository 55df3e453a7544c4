use resourceful::prelude::*;

#[derive(Attribute)]
struct Address {
    city: String,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    address: Option<Address>,
}

fn main() {
    let _ = User::ADDRESS.then(Address::CITY).eq(3);
}
