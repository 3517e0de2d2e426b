objectClass("User") {
    create {
        endpoint(POST, "users") {
            request {
                contentType APPLICATION_JSON
            }
        }
    }
}
