# dump
CREATE TABLE `user_groups` (`user_id` int NOT NULL, `group_id` int NOT NULL, PRIMARY KEY (`user_id`,`group_id`), KEY `g` (`group_id`), CONSTRAINT `f1` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='links';
INSERT INTO `users` VALUES (1,'O\'Brien');
DELIMITER //
CREATE PROCEDURE p() BEGIN SELECT 1; END//
DELIMITER ;
