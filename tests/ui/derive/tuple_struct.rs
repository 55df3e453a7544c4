use resourceful::prelude::*;

#[derive(Attribute)]
struct Point(i32, i32);

fn main() {}
