package io.tandem.sim.service;

import io.tandem.sim.repository.User;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated user of the current API request. */
@RequestScoped
public class Caller {

    private User user;

    public void set(User user) {
        this.user = user;
    }

    public User user() {
        if (user == null) {
            throw ApiError.unauthorized();
        }
        return user;
    }

    public boolean admin() {
        return user != null && user.admin;
    }
}
