package dev.aviary.controller.platform.web;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items the page's items
 * @param page zero-based page number
 * @param size the page size asked for
 * @param totalItems how many items match in all
 * @param totalPages how many pages of this size they fill
 * @param <T> the item
 */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

  public static <T> PageResponse<T> of(List<T> items, Requests.PageRequest paging, long total) {
    return new PageResponse<>(
        items, paging.page(), paging.size(), total, (total + paging.size() - 1) / paging.size());
  }
}
