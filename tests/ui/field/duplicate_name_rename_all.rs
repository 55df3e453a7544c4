use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", rename_all = "camelCase")]
struct User {
    id: String,
    #[resource(rename = "userName")]
    login: String,
    user_name: String,
}

fn main() {}
