//! The tasks.

use authdesk_contract::desktop::commands::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn list_tasks(app: Shell<'_>) -> Answer<ListTasks> {
    app.list_tasks().await
}

#[tauri::command]
pub async fn create_task(app: Shell<'_>, args: CreateTask) -> Answer<CreateTask> {
    app.create_task(args.title).await
}

#[tauri::command]
pub async fn update_task(app: Shell<'_>, args: UpdateTask) -> Answer<UpdateTask> {
    app.update_task(args.id, args.changes).await
}

#[tauri::command]
pub async fn delete_task(app: Shell<'_>, args: DeleteTask) -> Answer<DeleteTask> {
    app.delete_task(args.id).await
}
