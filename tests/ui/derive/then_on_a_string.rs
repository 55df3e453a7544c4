use resourceful::prelude::*;

#[derive(Attribute)]
struct Address {
    city: String,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    city: String,
}

fn main() {
    let _ = User::CITY.then(Address::CITY);
}
