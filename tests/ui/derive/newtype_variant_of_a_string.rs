use resourceful::prelude::*;

#[derive(Attribute)]
enum Payment {
    Cash,
    Voucher(String),
}

fn main() {}
