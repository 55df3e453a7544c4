use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app",
           key(attr = "pk", template = "BLOB#{digest}"))]
struct Blob {
    digest: Vec<u8>,
}

fn main() {}
