use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "tasks", key = "id")]
#[derive(Clone)]
struct Task {
    id: String,
    title: String,
    #[resource(version)]
    version: u64,
}

async fn load(tasks: &Table<Task>, task: Task) -> Result<()> {
    let mut writer = tasks.batch_writer();
    writer.put(task).await?;
    writer.finish().await?;
    Ok(())
}

fn main() {}
