use resourceful::prelude::*;

#[derive(Attribute)]
#[resource(rename_all = "lowercase")]
enum Status {
    Pending,
    #[resource(rename = "pending")]
    Waiting,
}

fn main() {}
