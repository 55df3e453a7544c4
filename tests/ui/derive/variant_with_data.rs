use resourceful::prelude::*;

#[derive(Attribute)]
enum Status {
    Pending,
    Shipped { carrier: String },
}

fn main() {}
