use resourceful::Attribute;

#[derive(Attribute)]
#[resource(stream = "new_image")]
struct Address {
    city: String,
}

fn main() {}
