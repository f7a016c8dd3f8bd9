package dev.aviary.controller.platform.web;

import java.util.List;

/**
 * A list answered whole, or paged by "after the last id".
 *
 * @param items the items
 * @param <T> the item
 */
public record ItemsResponse<T>(List<T> items) {}
