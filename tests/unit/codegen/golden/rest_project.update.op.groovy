objectClass("Project") {
    update {
        endpoint(PUT, "projects/{id}") {
            request {
                contentType APPLICATION_JSON
            }
        }
    }
}
