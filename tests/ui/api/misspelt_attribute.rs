use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    age: u32,
}

fn main() {
    let _ = User::AGEE.ge(18);
}
